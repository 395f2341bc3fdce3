import PokerEngine

/// Every game view of one table version, rendered once into one buffer: the fields every
/// viewer shares, each occupied seat's player object as the public sees it, each dealt-in
/// seat's object as its owner sees it (own hole cards), and the legal actions of the player
/// to act. A viewer's view is a sequence of those pieces, written straight into the
/// connection's frame (`SharedMessage`); nothing is assembled per viewer.
///
/// A body is everything after `{"type":"game_view","seq":N,`. Immutable once built (a class
/// so that a view message holds one reference, not a copy of the pieces).
public final class GameViewSet: Sendable {
    /// Every piece, back to back.
    let bytes: [UInt8]
    /// Piece ranges in `bytes`: 0 = shared head (up to `"your_seat"`), 1 + seat = the public
    /// player object (empty = no entry), 1 + seats + seat = the owner's (empty = same as
    /// public), 1 + 2 × seats = legal actions (empty = none).
    let ranges: [Range<Int>]
    /// Number of seats.
    let seatCount: Int
    /// The seat to act (gets the legal actions).
    let actor: Int?
    /// Length of the public players joined with commas.
    let publicPlayersCount: Int

    /// What each player piece shows (same indices as `ranges`), to reuse unchanged pieces.
    let playerKeys: [PlayerKey?]

    init(bytes: [UInt8], ranges: [Range<Int>], playerKeys: [PlayerKey?], seatCount: Int, actor: Int?) {
        self.bytes = bytes
        self.ranges = ranges
        self.playerKeys = playerKeys
        self.seatCount = seatCount
        self.actor = actor
        var n = 0
        var entries = 0
        for i in 0..<seatCount where !ranges[1 + i].isEmpty {
            n += ranges[1 + i].count
            entries += 1
        }
        publicPlayersCount = n + max(0, entries - 1)
    }

    /// The spectator's complete view.
    public var spectator: SharedMessage { SharedMessage(view: self, seat: -1) }

    /// The view of `seat` (`nil` = spectator).
    public func view(for seat: Int?) -> SharedMessage {
        guard let seat, seat >= 0, seat < seatCount else { return spectator }
        return SharedMessage(view: self, seat: seat)
    }

    static let yourSeat: StaticString = "\"your_seat\":"
    static let spectatorSeat: StaticString = "\"your_seat\":null,\"players\":["
    static let playersKey: StaticString = ",\"players\":["
    static let legalKey: StaticString = "],\"legal_actions\":"
    static let noLegal: StaticString = "null}"

    /// The owner's piece for `seat` when it has one, else the public piece.
    @inline(__always)
    func playerRange(_ i: Int, viewer: Int) -> Range<Int> {
        if i == viewer, !ranges[1 + seatCount + i].isEmpty { return ranges[1 + seatCount + i] }
        return ranges[1 + i]
    }

    @inline(__always)
    func legalRange(viewer: Int) -> Range<Int>? {
        guard viewer >= 0, viewer == actor else { return nil }
        let r = ranges[1 + 2 * seatCount]
        return r.isEmpty ? nil : r
    }

    /// Length of the body of `seat`'s view (`-1` = spectator).
    func bodyCount(seat: Int) -> Int {
        var n = ranges[0].count + publicPlayersCount
        if seat < 0 {
            n += Self.spectatorSeat.utf8CodeUnitCount
        } else {
            n += Self.yourSeat.utf8CodeUnitCount + decimalDigits(UInt64(seat)) + Self.playersKey.utf8CodeUnitCount
            let own = ranges[1 + seatCount + seat]
            if !own.isEmpty { n += own.count - ranges[1 + seat].count }
        }
        n += Self.legalKey.utf8CodeUnitCount
        if let legal = legalRange(viewer: seat) { n += legal.count + 1 } else { n += Self.noLegal.utf8CodeUnitCount }
        return n
    }

    /// Writes the body of `seat`'s view (`-1` = spectator) at `base`; returns its length.
    @discardableResult
    func copyBody(seat: Int, to base: UnsafeMutablePointer<UInt8>) -> Int {
        bytes.withUnsafeBufferPointer { buf -> Int in
            guard let src = buf.baseAddress else { return 0 }
            var p = base
            @inline(__always) func piece(_ r: Range<Int>) {
                p.update(from: src + r.lowerBound, count: r.count)
                p += r.count
            }
            @inline(__always) func literal(_ s: StaticString) {
                p.update(from: s.utf8Start, count: s.utf8CodeUnitCount)
                p += s.utf8CodeUnitCount
            }
            piece(ranges[0])
            if seat < 0 {
                literal(Self.spectatorSeat)
            } else {
                literal(Self.yourSeat)
                p += writeDecimal(UInt64(seat), to: p)
                literal(Self.playersKey)
            }
            var first = true
            for i in 0..<seatCount where !ranges[1 + i].isEmpty {
                if !first { p.pointee = UInt8(ascii: ","); p += 1 }
                first = false
                piece(playerRange(i, viewer: seat))
            }
            literal(Self.legalKey)
            if let legal = legalRange(viewer: seat) {
                piece(legal)
                p.pointee = UInt8(ascii: "}")
                p += 1
            } else {
                literal(Self.noLegal)
            }
            return p - base
        }
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
    /// Player objects whose content did not change since `previous` (the views of an earlier
    /// version of this table) are copied from it instead of rendered again.
    public func gameViews(reusing previous: GameViewSet? = nil) -> GameViewSet {
        let running = isHandRunning
        let n = seats.count
        var w = JSONWriter(capacity: 640 + n * 520)
        var ranges = [Range<Int>](repeating: 0..<0, count: 2 + 2 * n)
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
        ranges[0] = 0..<w.bytes.count

        var keys = [PlayerKey?](repeating: nil, count: 2 + 2 * n)
        renderPlayers(into: &w, ranges: &ranges, keys: &keys, previous: previous)

        if actor != nil, let legal = hand?.legalActions() {
            let start = w.bytes.count
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
            ranges[1 + 2 * n] = start..<w.bytes.count
        }
        return GameViewSet(bytes: w.bytes, ranges: ranges, playerKeys: keys, seatCount: n, actor: actor)
    }

    /// Player objects by seat, into `w`: as the public sees them (ranges 1 + seat), and as
    /// their owner does where that differs (ranges 1 + seats + seat). A player object whose
    /// content is the same as in `previous` (same `PlayerKey`) is copied from it.
    private func renderPlayers(into w: inout JSONWriter, ranges: inout [Range<Int>], keys: inout [PlayerKey?],
                               previous: GameViewSet?) {
        let n = seats.count
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
        let reusable = previous.flatMap { $0.seatCount == n ? $0 : nil }
        for case let s? in seats where s.phase != .reserved {
            let i = s.seat
            // Was this occupant dealt into the current/last hand?
            let dealt = h != nil && i < handUsers.count && handUsers[i] == s.user && (statuses?[i] ?? .out) != .out
            let status = dealt ? statuses?[i] : nil
            let live = status?.isLive ?? false
            let publiclyVisible = dealt && (shownMask & (1 << UInt16(i)) != 0 || (exposed && live))
            let cards = dealt ? h?.holeCards(of: i) : nil
            var key = PlayerKey(seat: s, dealt: dealt, status: status, running: running, stacks: stacks, bets: bets,
                                winnings: winnings, cards: publiclyVisible ? cards : nil, hasCards: dealt && live && running)
            ranges[1 + i] = emit(key, into: &w, reusing: reusable, slot: 1 + i)
            keys[1 + i] = key
            if dealt && !publiclyVisible {
                key.cards = cards
                key.hasCards = running && (live || status == .folded)
                ranges[1 + n + i] = emit(key, into: &w, reusing: reusable, slot: 1 + n + i)
                keys[1 + n + i] = key
            }
        }
    }

    /// Writes the player object for `key`: copied from `previous` when it rendered the same
    /// content in the same slot, else rendered. Returns its range in `w`.
    private func emit(_ key: PlayerKey, into w: inout JSONWriter, reusing previous: GameViewSet?, slot: Int) -> Range<Int> {
        let start = w.bytes.count
        if let previous, previous.playerKeys[slot] == key {
            let r = previous.ranges[slot]
            previous.bytes.withUnsafeBufferPointer { w.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[r])) }
        } else {
            key.render(into: &w)
        }
        return start..<w.bytes.count
    }
}

/// Everything one player object shows; the object is a function of it, so an equal key
/// means equal bytes.
struct PlayerKey: Equatable, Sendable {
    var seat: Int
    var user: UserID
    var username: String
    var stack: Int
    var bet: Int
    var status: Status
    var cards: [Card]?
    var hasCards: Bool
    var won: Int
    var sittingOut: Bool
    var connected: Bool
    var timeBank: Int64

    init(seat s: TableSeat, dealt: Bool, status: SeatStatus?, running: Bool, stacks: [Int]?, bets: [Int]?,
         winnings: [Int]?, cards: [Card]?, hasCards: Bool) {
        let i = s.seat
        seat = i
        user = s.user
        username = s.username
        if dealt && running, let stacks { stack = stacks[i] - s.paidDuringHand } else { stack = s.stack }
        if dealt, let bets { bet = bets[i] } else { bet = 0 }
        if s.phase == .left {
            self.status = .left
        } else if let st = status, running || st != .active {
            switch st {
            case .active: self.status = .active
            case .folded: self.status = .folded
            case .allIn: self.status = .allIn
            case .out: self.status = .waiting
            }
        } else if s.isSittingOut {
            self.status = .sittingOut
        } else {
            self.status = .waiting
        }
        self.cards = cards
        self.hasCards = hasCards
        if dealt, let winnings { won = winnings[i] } else { won = 0 }
        sittingOut = s.isSittingOut
        connected = s.isConnected
        timeBank = s.timeBankLeft
    }

    /// The `status` field's value.
    enum Status: UInt8, Sendable {
        case left, active, folded, allIn, waiting, sittingOut

        var text: StaticString {
            switch self {
            case .left: "\"left\""
            case .active: "\"active\""
            case .folded: "\"folded\""
            case .allIn: "\"all_in\""
            case .waiting: "\"waiting\""
            case .sittingOut: "\"sitting_out\""
            }
        }
    }

    static func == (a: PlayerKey, b: PlayerKey) -> Bool {
        a.seat == b.seat && a.user == b.user && a.stack == b.stack && a.bet == b.bet
            && a.status == b.status && a.hasCards == b.hasCards && a.won == b.won
            && a.sittingOut == b.sittingOut && a.connected == b.connected && a.timeBank == b.timeBank
            && a.cards == b.cards && a.username == b.username
    }

    func render(into w: inout JSONWriter) {
        w.raw("{\"seat\":")
        w.int(seat)
        w.raw(",\"user_id\":")
        w.int64(user.rawValue)
        w.raw(",\"username\":")
        w.string(username)
        w.raw(",\"stack\":")
        w.int(stack)
        w.raw(",\"bet\":")
        w.int(bet)
        w.raw(",\"status\":")
        w.raw(status.text)
        w.raw(",\"cards\":")
        if let cards { w.cards(cards) } else { w.raw("[]") }
        w.raw(",\"has_cards\":")
        w.bool(hasCards)
        w.raw(",\"won\":")
        w.int(won)
        w.raw(",\"sitting_out\":")
        w.bool(sittingOut)
        w.raw(",\"connected\":")
        w.bool(connected)
        w.raw(",\"time_bank\":")
        w.int64(timeBank)
        w.byte(UInt8(ascii: "}"))
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
