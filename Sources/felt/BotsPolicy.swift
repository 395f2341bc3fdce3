import Glibc

/// What a bot reads from one server message: a byte scan of the few fields it needs, so
/// thousands of bots can follow every game view without a full JSON parse. The scan walks
/// the view's head once with a cursor (the keys come in the server's order; a key missing
/// after the cursor is looked up from the start) and looks for the legal actions only at the
/// end, where the server puts them.
struct BotMessage: Equatable {
    /// The message kind.
    enum Kind: Equatable { case gameView, event, error, other }

    var kind: Kind
    var handNumber: Int?
    var yourSeat: Int?
    var seatToAct: Int?
    var street: BotStreet?
    /// The table status (`playing`, `waiting`, …): only `playing` offers moves.
    var playing = false
    /// The pot including this street's bets (`total_pot`), read only when the view offers a move.
    var totalPot = 0
    /// The viewer's own bet this street, read only when the view offers a move.
    var myBet = 0
    /// Set when the view offers this viewer a move.
    var legal: BotLegalActions?
    /// `event` name or `error` code.
    var name: String?
    /// The seat a `player_left` event names.
    var seat: Int?

    /// Scans one text message.
    static func scan(_ text: String) -> BotMessage {
        var text = text
        return text.withUTF8 { scan(UnsafeBufferPointer(rebasing: $0[...])) }
    }

    /// Scans the UTF-8 bytes of one message.
    static func scan(_ bytes: UnsafeBufferPointer<UInt8>) -> BotMessage {
        var scanner = JSONFieldScanner(bytes: bytes)
        switch scanner.typeTag() {
        case .gameView:
            var message = BotMessage(kind: .gameView)
            message.handNumber = scanner.int(after: "\"hand_number\":")
            message.playing = scanner.hasString(after: "\"status\":", equalTo: "playing")
            message.street = scanner.street(after: "\"street\":")
            message.seatToAct = scanner.int(after: "\"seat_to_act\":")
            message.yourSeat = scanner.int(after: "\"your_seat\":")
            // Only the player to act gets a legal-actions object; everyone else's view ends
            // with `"legal_actions":null}`.
            if message.playing, let seat = message.yourSeat, message.seatToAct == seat, !scanner.endsWithNullLegalActions {
                let players = scanner.cursor
                if scanner.findTail("\"legal_actions\":{") {
                    message.legal = BotLegalActions(
                        canCheck: scanner.bool(after: "\"can_check\":") ?? false,
                        callAmount: scanner.int(after: "\"call_amount\":") ?? 0,
                        canRaise: scanner.bool(after: "\"can_raise\":") ?? false,
                        minRaiseTo: scanner.int(after: "\"min_raise_to\":"),
                        maxRaiseTo: scanner.int(after: "\"max_raise_to\":"))
                    message.totalPot = scanner.int(after: "\"total_pot\":", fromStart: true) ?? 0
                    scanner.cursor = players
                    message.myBet = scanner.betOfSeat(seat) ?? 0
                }
            }
            return message
        case .event:
            var message = BotMessage(kind: .event, name: scanner.string(after: "\"event\":"))
            if message.name == "player_left" { message.seat = scanner.int(after: "\"seat\":") }
            return message
        case .error:
            return BotMessage(kind: .error, name: scanner.string(after: "\"code\":"))
        case .other:
            return BotMessage(kind: .other)
        }
    }
}

/// A street of a hand.
enum BotStreet: Equatable {
    case preflop, flop, turn, river
}

/// The legal moves offered to the player to act.
struct BotLegalActions: Equatable {
    var canCheck: Bool
    var callAmount: Int
    var canRaise: Bool
    var minRaiseTo: Int?
    var maxRaiseTo: Int?
}

/// A move a bot sends: `{"type":"action","action":{"type":KIND[,"amount":N]}}`.
struct BotMove: Equatable {
    var kind: String
    var amount: Int?

    /// The client message.
    var json: String {
        if let amount { return #"{"type":"action","action":{"type":"\#(kind)","amount":\#(amount)}}"# }
        return #"{"type":"action","action":{"type":"\#(kind)"}}"#
    }
}

/// What a bot knows when it is its turn.
struct BotSituation: Equatable {
    var street: BotStreet
    var legal: BotLegalActions
    /// The bot's own bet this street.
    var myBet: Int
    /// The pot including this street's bets.
    var pot: Int
    /// The table's big blind.
    var bigBlind: Int

    /// The bet to match this street (the bot's bet plus what it has to call).
    var currentBet: Int { myBet + legal.callAmount }
}

/// The decision points of the bots' 6-max cash-game policy (see docs/bots.md).
enum BotSpot: CaseIterable, Equatable {
    /// Preflop, nobody has raised and the bot must fold, call (limp/complete) or raise.
    case preflopUnopened
    /// Preflop big blind with the option (nobody raised): check or raise.
    case preflopOption
    /// Preflop facing one raise (the bet to match is at most 4 big blinds).
    case preflopFacingRaise
    /// Preflop facing a re-raise (at most 12 big blinds).
    case preflopFacing3Bet
    /// Preflop facing more (above 12 big blinds).
    case preflopFacing4Bet
    /// After the flop with no bet yet: check or bet.
    case postflopUnbet
    /// After the flop facing a bet.
    case postflopFacingBet
    /// After the flop facing a raise (the last raise was smaller than the bet it raised).
    case postflopFacingRaise
}

/// The bots' move policy: a fixed mix per decision point that looks like loose-ish 6-max
/// cash-game play (most hands folded preflop, few multi-way pots, rare raise wars). The
/// weights are the policy; docs/bots.md prints the same table.
enum BotPolicy {
    /// Percent fold / passive (check or call) / aggressive (bet or raise) at a decision point.
    /// A fold where checking is free becomes a check.
    static func weights(_ spot: BotSpot) -> (fold: Int, passive: Int, aggressive: Int) {
        switch spot {
        case .preflopUnopened: (72, 6, 22)
        case .preflopOption: (0, 88, 12)
        case .preflopFacingRaise: (70, 22, 8)
        case .preflopFacing3Bet: (55, 35, 10)
        case .preflopFacing4Bet: (60, 25, 15)
        case .postflopUnbet: (0, 62, 38)
        case .postflopFacingBet: (40, 48, 12)
        case .postflopFacingRaise: (55, 38, 7)
        }
    }

    /// The decision point of `situation`.
    static func spot(_ situation: BotSituation) -> BotSpot {
        let legal = situation.legal
        let bet = situation.currentBet
        let bb = max(1, situation.bigBlind)
        if situation.street == .preflop {
            if bet <= bb { return legal.canCheck ? .preflopOption : .preflopUnopened }
            if bet <= 4 * bb { return .preflopFacingRaise }
            if bet <= 12 * bb { return .preflopFacing3Bet }
            return .preflopFacing4Bet
        }
        if bet == 0 || legal.canCheck { return .postflopUnbet }
        // After a bet B the minimum raise is to 2B; after a raise from B to R it is to 2R − B.
        if legal.canRaise, let minimum = legal.minRaiseTo, minimum - bet < bet { return .postflopFacingRaise }
        return .postflopFacingBet
    }

    /// The raise-to (or bet) amount the policy aims at, before clamping to the legal range.
    static func target(_ spot: BotSpot, _ situation: BotSituation, using rng: inout BotRandom) -> Int {
        let bb = max(1, situation.bigBlind)
        let bet = situation.currentBet
        switch spot {
        case .preflopUnopened: return bb * 5 / 2 + (bb * 5) % 2  // open to 2.5 big blinds (rounded up)
        case .preflopOption: return 4 * bb
        case .preflopFacingRaise: return 3 * bet
        case .preflopFacing3Bet: return bet * 11 / 5  // 2.2×
        case .preflopFacing4Bet: return Int.max  // all in
        case .postflopUnbet: return max(bb, situation.pot * (50 + rng.next(26)) / 100)  // 50–75 % of the pot
        case .postflopFacingBet: return 3 * bet
        case .postflopFacingRaise: return bet * 5 / 2
        }
    }

    /// The move for `situation`: a weighted draw at its decision point; sizes clamped to the
    /// legal raise range; `bet` when the street has no bet yet, else `raise`.
    static func move(_ situation: BotSituation, using rng: inout BotRandom) -> BotMove {
        let spot = spot(situation)
        let (fold, passive, _) = weights(spot)
        let legal = situation.legal
        let roll = rng.next(100)
        if roll >= fold + passive, legal.canRaise, let low = legal.minRaiseTo, let high = legal.maxRaiseTo, low <= high {
            let amount = min(high, max(low, target(spot, situation, using: &rng)))
            return BotMove(kind: situation.currentBet == 0 ? "bet" : "raise", amount: amount)
        }
        if roll < fold, !legal.canCheck, legal.callAmount > 0 { return BotMove(kind: "fold") }
        return BotMove(kind: legal.canCheck ? "check" : "call")
    }
}

/// The bots' think time: how long a bot waits between seeing its turn and acting,
/// uniform in [0.5, 1.5] × the mean (0 = act at once).
struct BotThinkTime: Equatable {
    /// Mean think time in nanoseconds.
    var meanNanos: UInt64

    init(milliseconds: Double) { meanNanos = UInt64(max(0, milliseconds) * 1_000_000) }

    /// One think time in nanoseconds.
    func sample(using rng: inout BotRandom) -> UInt64 {
        guard meanNanos > 0 else { return 0 }
        let low = meanNanos / 2
        return low + UInt64(rng.next64() % (meanNanos + 1))
    }
}

/// A small, fast PRNG (SplitMix64) for bot decisions; not for cards.
struct BotRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next64() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (bound > 0).
    mutating func next(_ bound: Int) -> Int { Int(next64() % UInt64(max(1, bound))) }
}

/// Finds `"key":value` pairs by byte search (`memchr` + `memcmp`) in compact JSON, moving a cursor
/// forward (no nesting awareness: the keys the bots read are unique where they look).
struct JSONFieldScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    /// Where the next search starts.
    var cursor = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The message's `type`, read from its first bytes.
    enum TypeTag { case gameView, event, error, other }

    mutating func typeTag() -> TypeTag {
        guard let at = find("\"type\":\"") else { return .other }
        cursor = at
        if matches("game_view\"", at: at) { return .gameView }
        if matches("event\"", at: at) { return .event }
        if matches("error\"", at: at) { return .error }
        return .other
    }

    private func matches(_ literal: StaticString, at: Int) -> Bool {
        let n = literal.utf8CodeUnitCount
        guard at + n <= bytes.count, let base = bytes.baseAddress else { return false }
        return memcmp(base + at, literal.utf8Start, n) == 0
    }

    /// Index just past the first occurrence of `needle` at or after `start`, or nil.
    func find(_ needle: StaticString, from start: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0, start >= 0, bytes.count - start >= n, let base = bytes.baseAddress else { return nil }
        // memchr (vectorised) for the needle's second byte (its first is usually a quote, the
        // most common byte of JSON), then memcmp for the rest.
        let pattern = needle.utf8Start
        let k = n > 1 ? 1 : 0
        let probe = Int32(pattern[k])
        var i = start + k
        let last = bytes.count - n + k  // the last index the probe byte may sit at
        while i <= last {
            guard let hit = memchr(base + i, probe, last - i + 1) else { return nil }
            let at = UnsafePointer(hit.assumingMemoryBound(to: UInt8.self)) - base - k
            if memcmp(base + at, pattern, n) == 0 { return at + n }
            i = at + k + 1
        }
        return nil
    }

    /// Finds `key` after the cursor (else from the start) and moves the cursor past it.
    private mutating func seek(_ key: StaticString, fromStart: Bool = false) -> Int? {
        guard let at = (fromStart ? nil : find(key, from: cursor)) ?? find(key) else { return nil }
        cursor = at
        return at
    }

    /// Whether the message ends with `"legal_actions":null}`.
    var endsWithNullLegalActions: Bool {
        let tail: StaticString = "\"legal_actions\":null}"
        let n = tail.utf8CodeUnitCount
        return bytes.count >= n && matches(tail, at: bytes.count - n)
    }

    /// Finds `needle` within the last bytes of the message (else anywhere after the cursor)
    /// and moves the cursor past it.
    mutating func findTail(_ needle: StaticString) -> Bool {
        let start = max(cursor, bytes.count - 512)
        guard let at = find(needle, from: start) ?? find(needle, from: cursor) else { return false }
        cursor = at
        return true
    }

    mutating func int(after key: StaticString, fromStart: Bool = false) -> Int? {
        guard let at = seek(key, fromStart: fromStart) else { return nil }
        let (value, end) = parseInt(at)
        cursor = end
        return value
    }

    private func parseInt(_ at: Int) -> (value: Int?, end: Int) {
        var i = at
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        var value = 0, digits = 0
        while i < bytes.count, bytes[i] >= 0x30, bytes[i] <= 0x39 {
            value = value &* 10 &+ Int(bytes[i] - 0x30)
            digits += 1
            i += 1
        }
        return (digits == 0 ? nil : (negative ? -value : value), i)
    }

    mutating func bool(after key: StaticString) -> Bool? {
        guard let at = seek(key), at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "t") { return true }
        if bytes[at] == UInt8(ascii: "f") { return false }
        return nil
    }

    /// Whether the string value of `key` is `value` (no allocation).
    mutating func hasString(after key: StaticString, equalTo value: StaticString) -> Bool {
        guard let at = seek(key), at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return false }
        let n = value.utf8CodeUnitCount
        return matches(value, at: at + 1) && at + 1 + n < bytes.count && bytes[at + 1 + n] == UInt8(ascii: "\"")
    }

    /// The street named by `key` (nil for `null` or an unknown name).
    mutating func street(after key: StaticString) -> BotStreet? {
        guard let at = seek(key), at + 1 < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        switch bytes[at + 1] {
        case UInt8(ascii: "p"): return .preflop
        case UInt8(ascii: "f"): return .flop
        case UInt8(ascii: "t"): return .turn
        case UInt8(ascii: "r"): return .river
        default: return nil
        }
    }

    mutating func string(after key: StaticString) -> String? {
        guard let at = seek(key), at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        var end = at + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        cursor = end
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[(at + 1)..<end]), as: UTF8.self)
    }

    /// The `bet` of the player object `{"seat":N,…}` after the cursor.
    mutating func betOfSeat(_ seat: Int) -> Int? {
        var from = cursor
        while let at = find("{\"seat\":", from: from) {
            let (value, end) = parseInt(at)
            if value == seat {
                cursor = end
                guard let betAt = find("\"bet\":", from: end) else { return nil }
                return parseInt(betAt).value
            }
            from = end
        }
        return nil
    }
}
