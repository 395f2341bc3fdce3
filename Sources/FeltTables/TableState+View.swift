import PokerEngine

/// Every game view of one table version, rendered once: the parts every viewer shares are
/// written a single time, each seated player's own seat (with hole cards) once more, and a
/// viewer's message is a concatenation of ready bytes. A body is everything after
/// `{"type":"game_view","seq":N,` (see `SharedMessage`).
public struct GameViewSet: Sendable {
    /// Shared fields up to (not including) `"your_seat"`.
    let head: [UInt8]
    /// Each occupied seat's player object as the public sees it, by seat (empty = no entry).
    let publicPlayers: [[UInt8]]
    /// Each dealt-in seat's player object as its owner sees it (own hole cards), by seat.
    let ownerPlayers: [[UInt8]]
    /// The legal-actions object for the player to act.
    let legal: [UInt8]?
    /// The seat to act.
    let actor: Int?
    /// The spectator's complete view.
    public let spectator: SharedMessage

    /// The view of `seat` (`nil` = spectator).
    public func view(for seat: Int?) -> SharedMessage {
        guard let seat, seat >= 0, seat < publicPlayers.count else { return spectator }
        var size = head.count + 64 + (legal?.count ?? 0)
        for p in publicPlayers { size += p.count + 1 }
        size += ownerPlayers[seat].count
        var out: [UInt8] = []
        out.reserveCapacity(size)
        out.append(contentsOf: head)
        var w = JSONWriter(capacity: 24)
        w.raw("\"your_seat\":")
        w.int(seat)
        w.raw(",\"players\":[")
        out.append(contentsOf: w.bytes)
        var first = true
        for i in publicPlayers.indices where !publicPlayers[i].isEmpty {
            if !first { out.append(UInt8(ascii: ",")) }
            first = false
            out.append(contentsOf: i == seat && !ownerPlayers[i].isEmpty ? ownerPlayers[i] : publicPlayers[i])
        }
        out.append(contentsOf: #"],"legal_actions":"#.utf8)
        if seat == actor, let legal { out.append(contentsOf: legal) } else { out.append(contentsOf: "null".utf8) }
        out.append(UInt8(ascii: "}"))
        return SharedMessage(kind: .gameView, body: out)
    }
}

extension TableState {
    /// The game view for `viewerSeat` (`nil` = spectator) as a shared game-view message:
    /// everything after `{"type":"game_view","seq":N,`. The viewer's own hole cards appear
    /// only in their own view; other cards only once shown at showdown or exposed all in.
    /// The player to act also gets `legal_actions`.
    public func gameView(for viewerSeat: Int?) -> SharedMessage {
        gameViews().view(for: viewerSeat)
    }

    /// All views of the current state (render once per change, then hand out per viewer).
    public func gameViews() -> GameViewSet {
        let running = isHandRunning
        var w = JSONWriter(capacity: 256)
        w.raw("\"table_id\":")
        w.string(settings.tableID)
        w.raw(",\"hand_number\":")
        w.int(handNumber)
        w.raw(",\"status\":")
        if stoppedReason != nil { w.raw("\"stopped\"") } else if running { w.raw("\"playing\"") } else { w.raw("\"waiting\"") }
        w.raw(",\"street\":")
        if let h = hand { w.byte(UInt8(ascii: "\"")); w.raw(h.street.staticName); w.byte(UInt8(ascii: "\"")) } else { w.null() }
        w.raw(",\"board\":")
        if let h = hand { w.cards(h.board) } else { w.raw("[]") }
        w.raw(",\"pots\":[")
        if let h = hand {
            for (i, p) in h.pots.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"amount\":")
                w.int(p.amount)
                w.raw(",\"eligible\":")
                w.ints(p.eligible)
                w.byte(UInt8(ascii: "}"))
            }
        }
        w.raw("],\"total_pot\":")
        w.int(running ? hand?.totalPot ?? 0 : 0)
        w.raw(",\"button\":")
        if let p = hand?.positions { w.int(p.button) } else { w.null() }
        w.raw(",\"small_blind_seat\":")
        if let sb = hand?.positions.smallBlind { w.int(sb) } else { w.null() }
        w.raw(",\"big_blind_seat\":")
        if let p = hand?.positions { w.int(p.bigBlind) } else { w.null() }
        let actor = running ? hand?.actor : nil
        w.raw(",\"seat_to_act\":")
        if let a = actor { w.int(a) } else { w.null() }
        w.raw(",\"action_deadline\":")
        if running, let d = actionDeadline { w.int64(d) } else { w.null() }
        w.byte(UInt8(ascii: ","))
        let head = w.bytes

        let (publicPlayers, ownerPlayers) = renderPlayers()

        var legalBytes: [UInt8]?
        if actor != nil, let legal = hand?.legalActions() {
            var l = JSONWriter(capacity: 160)
            l.raw("{\"can_fold\":")
            l.bool(legal.canFold)
            l.raw(",\"can_check\":")
            l.bool(legal.canCheck)
            l.raw(",\"call_amount\":")
            l.int(legal.callAmount)
            l.raw(",\"can_raise\":")
            l.bool(legal.canRaise)
            l.raw(",\"min_raise_to\":")
            if legal.canRaise { l.int(legal.minRaiseTo) } else { l.null() }
            l.raw(",\"max_raise_to\":")
            if legal.canRaise { l.int(legal.maxRaiseTo) } else { l.null() }
            l.raw(",\"all_in_to\":")
            l.int(legal.allInTo)
            l.byte(UInt8(ascii: "}"))
            legalBytes = l.bytes
        }

        var size = head.count + 48
        for p in publicPlayers { size += p.count + 1 }
        var s: [UInt8] = []
        s.reserveCapacity(size)
        s.append(contentsOf: head)
        s.append(contentsOf: #""your_seat":null,"players":["#.utf8)
        var first = true
        for p in publicPlayers where !p.isEmpty {
            if !first { s.append(UInt8(ascii: ",")) }
            first = false
            s.append(contentsOf: p)
        }
        s.append(contentsOf: #"],"legal_actions":null}"#.utf8)
        return GameViewSet(head: head, publicPlayers: publicPlayers, ownerPlayers: ownerPlayers, legal: legalBytes,
                           actor: actor, spectator: SharedMessage(kind: .gameView, body: s))
    }

    /// Player objects by seat: as the public sees them, and as their owner does.
    private func renderPlayers() -> (public: [[UInt8]], owner: [[UInt8]]) {
        var pub = [[UInt8]](repeating: [], count: seats.count)
        var own = [[UInt8]](repeating: [], count: seats.count)
        let h = hand
        let running = isHandRunning
        var shownMask: UInt16 = 0
        if let h {
            for s in h.showdown where s.shown { shownMask |= 1 << UInt16(s.seat) }
        }
        let exposed = h?.handsExposed ?? false
        let statuses = h?.statuses
        let stacks = running ? h?.stacks : nil
        let bets = running ? h?.bets : nil
        let winnings = (h?.isFinished ?? false) ? h?.winnings : nil
        for case let s? in seats where s.phase != .reserved {
            let i = s.seat
            // Was this occupant dealt into the current/last hand?
            let dealt = h != nil && i < handUsers.count && handUsers[i] == s.user && (statuses?[i] ?? .out) != .out
            let status = dealt ? statuses?[i] : nil
            let live = status?.isLive ?? false
            let publiclyVisible = dealt && (shownMask & (1 << UInt16(i)) != 0 || (exposed && live))
            pub[i] = renderPlayer(s, dealt: dealt, status: status, running: running, stacks: stacks, bets: bets,
                                  winnings: winnings, cards: publiclyVisible ? h?.holeCards(of: i) : nil,
                                  hasCards: dealt && live && running)
            if dealt && !publiclyVisible {
                own[i] = renderPlayer(s, dealt: dealt, status: status, running: running, stacks: stacks, bets: bets,
                                      winnings: winnings, cards: h?.holeCards(of: i),
                                      hasCards: running && (live || status == .folded))
            }
        }
        return (pub, own)
    }

    private func renderPlayer(_ s: TableSeat, dealt: Bool, status: SeatStatus?, running: Bool, stacks: [Int]?,
                              bets: [Int]?, winnings: [Int]?, cards: [Card]?, hasCards: Bool) -> [UInt8] {
        let i = s.seat
        var w = JSONWriter(capacity: 200 + s.username.utf8.count)
        w.raw("{\"seat\":")
        w.int(i)
        w.raw(",\"user_id\":")
        w.int64(s.user.rawValue)
        w.raw(",\"username\":")
        w.string(s.username)
        w.raw(",\"stack\":")
        if dealt && running, let stacks { w.int(stacks[i] - s.paidDuringHand) } else { w.int(s.stack) }
        w.raw(",\"bet\":")
        if dealt, let bets { w.int(bets[i]) } else { w.byte(UInt8(ascii: "0")) }
        w.raw(",\"status\":")
        if s.phase == .left {
            w.raw("\"left\"")
        } else if let st = status, running || st != .active {
            switch st {
            case .active: w.raw("\"active\"")
            case .folded: w.raw("\"folded\"")
            case .allIn: w.raw("\"all_in\"")
            case .out: w.raw("\"waiting\"")
            }
        } else if s.isSittingOut {
            w.raw("\"sitting_out\"")
        } else {
            w.raw("\"waiting\"")
        }
        w.raw(",\"cards\":")
        if let cards { w.cards(cards) } else { w.raw("[]") }
        w.raw(",\"has_cards\":")
        w.bool(hasCards)
        w.raw(",\"won\":")
        if dealt, let winnings { w.int(winnings[i]) } else { w.byte(UInt8(ascii: "0")) }
        w.raw(",\"sitting_out\":")
        w.bool(s.isSittingOut)
        w.raw(",\"connected\":")
        w.bool(s.isConnected)
        w.raw(",\"time_bank\":")
        w.int64(s.timeBankLeft)
        w.byte(UInt8(ascii: "}"))
        return w.bytes
    }
}

extension Street {
    /// The street's name as a static string (for the JSON writer).
    var staticName: StaticString {
        switch self {
        case .preflop: "preflop"
        case .flop: "flop"
        case .turn: "turn"
        case .river: "river"
        }
    }
}
