import PokerEngine

extension TableState {
    /// The game view for `viewerSeat` (`nil` = spectator) as a shared game-view message:
    /// everything after `{"type":"game_view","seq":N,`. The viewer's own hole cards appear
    /// only in their own view; other cards only once shown at showdown or exposed all in.
    /// The player to act also gets `legal_actions`.
    public func gameView(for viewerSeat: Int?) -> SharedMessage {
        var w = JSONWriter(capacity: 256 + 160 * seats.count)
        writeGameViewBody(viewerSeat: viewerSeat, into: &w)
        return SharedMessage(kind: .gameView, body: w.bytes)
    }

    /// Writes the view body (see `gameView(for:)`).
    public func writeGameViewBody(viewerSeat: Int?, into w: inout JSONWriter) {
        let running = isHandRunning
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
        w.raw(",\"your_seat\":")
        if let v = viewerSeat { w.int(v) } else { w.null() }
        w.raw(",\"players\":[")
        writePlayers(viewerSeat: viewerSeat, into: &w)
        w.raw("],\"legal_actions\":")
        if let v = viewerSeat, v == actor, let legal = hand?.legalActions() {
            w.raw("{\"can_fold\":")
            w.bool(legal.canFold)
            w.raw(",\"can_check\":")
            w.bool(legal.canCheck)
            w.raw(",\"call_amount\":")
            w.int(legal.callAmount)
            w.raw(",\"can_raise\":")
            w.bool(legal.canRaise)
            w.raw(",\"min_raise_to\":")
            if legal.canRaise { w.int(legal.minRaiseTo) } else { w.null() }
            w.raw(",\"max_raise_to\":")
            if legal.canRaise { w.int(legal.maxRaiseTo) } else { w.null() }
            w.raw(",\"all_in_to\":")
            w.int(legal.allInTo)
            w.byte(UInt8(ascii: "}"))
        } else {
            w.null()
        }
        w.byte(UInt8(ascii: "}"))
    }

    private func writePlayers(viewerSeat: Int?, into w: inout JSONWriter) {
        let h = hand
        let running = isHandRunning
        var shownMask: UInt16 = 0
        if let h {
            for s in h.showdown where s.shown { shownMask |= 1 << UInt16(s.seat) }
        }
        let statuses = h?.statuses
        let stacks = running ? h?.stacks : nil
        let bets = running ? h?.bets : nil
        let winnings = (h?.isFinished ?? false) ? h?.winnings : nil
        var first = true
        for case let s? in seats where s.phase != .reserved {
            let i = s.seat
            if !first { w.byte(UInt8(ascii: ",")) }
            first = false
            // Was this occupant dealt into the current/last hand?
            let dealt = h != nil && i < handUsers.count && handUsers[i] == s.user && (statuses?[i] ?? .out) != .out
            let engineStatus = dealt ? statuses?[i] : nil
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
            } else if let st = engineStatus, running || st != .active {
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
            let live = engineStatus?.isLive ?? false
            let own = viewerSeat == i
            let visible = dealt && (own || shownMask & (1 << UInt16(i)) != 0 || ((h?.handsExposed ?? false) && live))
            w.raw(",\"cards\":")
            if visible, let h { w.cards(h.holeCards(of: i)) } else { w.raw("[]") }
            w.raw(",\"has_cards\":")
            w.bool(dealt && (live || (own && engineStatus == .folded)) && (running || visible))
            w.raw(",\"won\":")
            if dealt, let winnings { w.int(winnings[i]) } else { w.byte(UInt8(ascii: "0")) }
            w.raw(",\"sitting_out\":")
            w.bool(s.isSittingOut)
            w.raw(",\"connected\":")
            w.bool(s.isConnected)
            w.raw(",\"time_bank\":")
            w.int64(s.timeBankLeft)
            w.byte(UInt8(ascii: "}"))
        }
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
