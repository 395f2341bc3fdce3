/// What a bot reads from one server message: a byte scan of the few fields it needs, so
/// thousands of bots can follow every game view without a full JSON parse.
struct BotMessage: Equatable {
    /// The message kind.
    enum Kind: Equatable { case gameView, event, error, other }

    var kind: Kind
    var handNumber: Int?
    var yourSeat: Int?
    var seatToAct: Int?
    var street: String?
    var status: String?
    /// Set when the view offers this viewer a move.
    var legal: BotLegalActions?
    /// Whether any player has a bet in front of them this street.
    var anyBet = false
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
        let scanner = JSONFieldScanner(bytes: bytes)
        let type = scanner.string(after: "\"type\":")
        switch type {
        case "game_view":
            var message = BotMessage(kind: .gameView)
            message.handNumber = scanner.int(after: "\"hand_number\":")
            message.yourSeat = scanner.int(after: "\"your_seat\":")
            message.seatToAct = scanner.int(after: "\"seat_to_act\":")
            message.street = scanner.string(after: "\"street\":")
            message.status = scanner.string(after: "\"status\":")
            if scanner.find("\"legal_actions\":{") != nil {
                message.legal = BotLegalActions(
                    canCheck: scanner.bool(after: "\"can_check\":") ?? false,
                    callAmount: scanner.int(after: "\"call_amount\":") ?? 0,
                    canRaise: scanner.bool(after: "\"can_raise\":") ?? false,
                    minRaiseTo: scanner.int(after: "\"min_raise_to\":"),
                    maxRaiseTo: scanner.int(after: "\"max_raise_to\":"))
            }
            message.anyBet = scanner.anyPositiveInt(after: "\"bet\":")
            return message
        case "event":
            var message = BotMessage(kind: .event, name: scanner.string(after: "\"event\":"))
            if message.name == "player_left" { message.seat = scanner.int(after: "\"seat\":") }
            return message
        case "error":
            return BotMessage(kind: .error, name: scanner.string(after: "\"code\":"))
        default:
            return BotMessage(kind: .other)
        }
    }
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

    /// A random legal move: 75 % check/call, 15 % fold when there is something to call, 10 %
    /// a bet or raise between the minimum and twice it (all in once in 200 raises). `opening` says the street
    /// has no bet yet (the aggressive move is a bet, not a raise).
    static func random(_ legal: BotLegalActions, opening: Bool, using rng: inout BotRandom) -> BotMove {
        let roll = rng.next(100)
        if legal.canRaise, let low = legal.minRaiseTo, let high = legal.maxRaiseTo, roll < 10 {
            let span = max(0, min(high, low * 2) - low)
            let target = rng.next(200) == 0 ? high : low + (span > 0 ? rng.next(span + 1) : 0)
            return BotMove(kind: opening ? "bet" : "raise", amount: min(high, max(low, target)))
        }
        if !legal.canCheck, legal.callAmount > 0, roll >= 85 { return BotMove(kind: "fold") }
        return BotMove(kind: legal.canCheck ? "check" : "call")
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

/// Finds `"key":value` pairs by byte search in compact JSON (no nesting awareness: the
/// keys the bots read are unique in a game view).
struct JSONFieldScanner {
    let bytes: UnsafeBufferPointer<UInt8>

    /// Index just past the first occurrence of `needle`, or nil.
    func find(_ needle: StaticString, from start: Int = 0) -> Int? {
        let n = needle.utf8CodeUnitCount
        guard n > 0, bytes.count >= n else { return nil }
        let pattern = UnsafeBufferPointer(start: needle.utf8Start, count: n)
        let first = pattern[0]
        var i = start
        let last = bytes.count - n
        while i <= last {
            if bytes[i] == first {
                var j = 1
                while j < n && bytes[i + j] == pattern[j] { j += 1 }
                if j == n { return i + n }
            }
            i += 1
        }
        return nil
    }

    func int(after key: StaticString) -> Int? {
        guard let at = find(key) else { return nil }
        return parseInt(at).value
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

    func bool(after key: StaticString) -> Bool? {
        guard let at = find(key), at < bytes.count else { return nil }
        if bytes[at] == UInt8(ascii: "t") { return true }
        if bytes[at] == UInt8(ascii: "f") { return false }
        return nil
    }

    func string(after key: StaticString) -> String? {
        guard let at = find(key), at < bytes.count, bytes[at] == UInt8(ascii: "\"") else { return nil }
        var end = at + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\"") { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[(at + 1)..<end]), as: UTF8.self)
    }

    /// Whether any `key` occurrence holds a number above zero.
    func anyPositiveInt(after key: StaticString) -> Bool {
        var from = 0
        while let at = find(key, from: from) {
            let (value, end) = parseInt(at)
            if let value, value > 0 { return true }
            from = end
        }
        return false
    }
}
