import PokerEngine

/// A minimal JSON writer appending UTF-8 bytes to a buffer (the views' hot path: no
/// `JSONEncoder`, no intermediate strings). The caller writes keys, values and separators in
/// order; `comma()` and the `key` helpers keep it readable.
public struct JSONWriter: Sendable {
    /// The bytes written so far.
    public var bytes: [UInt8]

    /// Creates a writer with room for `capacity` bytes.
    public init(capacity: Int = 512) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends raw ASCII (keys, punctuation, literals) from a static string.
    @inline(__always)
    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one raw byte.
    @inline(__always)
    public mutating func byte(_ b: UInt8) { bytes.append(b) }

    /// Appends an integer in decimal.
    public mutating func int(_ value: Int) { int64(Int64(value)) }

    /// Appends a 64-bit integer in decimal.
    public mutating func int64(_ value: Int64) {
        if value == 0 { bytes.append(UInt8(ascii: "0")); return }
        var v = value.magnitude
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var n = 0
        withUnsafeMutableBytes(of: &tmp) { buf in
            while v > 0 {
                buf[n] = UInt8(truncatingIfNeeded: v % 10) &+ 48
                v /= 10
                n += 1
            }
            var i = n - 1
            while i >= 0 { bytes.append(buf[i]); i -= 1 }
        }
    }

    /// Appends `true` or `false`.
    @inline(__always)
    public mutating func bool(_ value: Bool) { value ? raw("true") : raw("false") }

    /// Appends `null`.
    @inline(__always)
    public mutating func null() { raw("null") }

    /// Appends a quoted, escaped string.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = value
        s.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let c = utf8[i]
                if c >= 0x20 && c != 0x22 && c != 0x5C { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                switch c {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(JSONWriter.hex[Int(c >> 4)])
                    bytes.append(JSONWriter.hex[Int(c & 0xF)])
                }
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends a card as its two-character code in quotes, e.g. `"Ah"`.
    @inline(__always)
    public mutating func card(_ card: Card) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(JSONWriter.rankChars[card.rank - 2])
        bytes.append(JSONWriter.suitChars[Int(card.index & 3)])
        bytes.append(UInt8(ascii: "\""))
    }

    /// Appends an array of cards.
    public mutating func cards(_ cards: [Card]) {
        bytes.append(UInt8(ascii: "["))
        for (i, c) in cards.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            card(c)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Appends an array of integers.
    public mutating func ints(_ values: [Int]) {
        bytes.append(UInt8(ascii: "["))
        for (i, v) in values.enumerated() {
            if i > 0 { bytes.append(UInt8(ascii: ",")) }
            int(v)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    private static let rankChars: [UInt8] = Array("23456789TJQKA".utf8)
    private static let suitChars: [UInt8] = {
        // Suit raw values 0...3 in the engine's order, as their one-letter codes.
        (0..<4).map { raw -> UInt8 in
            guard let suit = Suit(rawValue: UInt8(raw)) else { return UInt8(ascii: "?") }
            return suit.symbol
        }
    }()
}
