/// An incremental UTF-8 validator (a byte-class DFA) that fails fast.
///
/// Feed bytes in any chunking with `consume(_:)`; it reports the offset of the first byte at
/// which the input can no longer be a prefix of valid UTF-8 — so an invalid sequence is
/// detected at the earliest possible byte, even in the middle of a message. Rejects
/// overlong encodings, UTF-16 surrogates (U+D800–U+DFFF), code points above U+10FFFF, stray
/// continuation bytes and the never-valid bytes C0, C1, F5–FF (Unicode Table 3-7).
///
/// After the last chunk, `isAtCharacterBoundary` tells whether the input ended on a complete
/// character (a truncated sequence is invalid as a whole message).
public struct WebSocketUTF8Validator: Sendable, Hashable {
    /// The DFA state, stored as its bit offset in a `transitions` row (state number × 6).
    @usableFromInline
    var state: UInt16 = Self.accept

    /// A fresh validator at a character boundary.
    public init() {}

    /// Whether all bytes consumed so far form complete, valid characters.
    @inlinable
    public var isAtCharacterBoundary: Bool { state == Self.accept }

    /// Whether an invalid sequence has been seen (the validator stays invalid until `reset()`).
    @inlinable
    public var hasFailed: Bool { state == Self.reject }

    /// Forgets everything consumed so far.
    @inlinable
    public mutating func reset() { state = Self.accept }

    /// Consumes `bytes`; returns `nil` if they are still a valid UTF-8 prefix, or the offset
    /// within `bytes` of the first byte that makes the input invalid.
    ///
    /// Once it has failed, every later call returns 0.
    public mutating func consume(_ bytes: UnsafeRawBufferPointer) -> Int? {
        if state == Self.reject { return 0 }
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return nil }
        var s = Int(state)
        var i = 0
        let result: Int? = Self.transitions.withUnsafeBufferPointer { table -> Int? in
            while i < count {
                // ASCII fast path at a character boundary: skip 8 bytes at a time, then skip
                // straight to the first non-ASCII byte of the word that has one.
                if s == Int(Self.accept) {
                    while i &+ 8 <= count {
                        let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                        let high = word & 0x8080_8080_8080_8080
                        if high != 0 {
                            i &+= high.trailingZeroBitCount >> 3
                            break
                        }
                        i &+= 8
                    }
                    if i == count { break }
                }
                // Shift DFA: the byte's row holds the next state for every current state, so
                // the only work that depends on the previous state is one shift.
                let row = table[Int(base.load(fromByteOffset: i, as: UInt8.self))]
                s = Int(truncatingIfNeeded: row &>> UInt64(truncatingIfNeeded: s)) & 63
                if s == Int(Self.reject) { return i }
                i &+= 1
            }
            return nil
        }
        state = UInt16(truncatingIfNeeded: s)
        return result
    }

    /// Consumes `bytes`; see `consume(_: UnsafeRawBufferPointer)`.
    public mutating func consume(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBytes { consume($0) }
    }

    /// Whether `bytes` is, as a whole, valid UTF-8.
    public static func isValid(_ bytes: UnsafeRawBufferPointer) -> Bool {
        var validator = WebSocketUTF8Validator()
        return validator.consume(bytes) == nil && validator.isAtCharacterBoundary
    }

    /// Whether `bytes` is, as a whole, valid UTF-8.
    public static func isValid(_ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { isValid($0) }
    }

    // MARK: DFA

    // Bit offsets of the accepting state (0) and of the rejecting sink state (1).
    @usableFromInline static let accept: UInt16 = 0
    @usableFromInline static let reject: UInt16 = 6

    // State numbers.
    static let acceptState: UInt8 = 0     // at a character boundary
    static let rejectState: UInt8 = 1     // invalid; stays invalid
    static let need1: UInt8 = 2        // one continuation byte 80–BF left
    static let need2: UInt8 = 3        // two continuation bytes left
    static let need3: UInt8 = 4        // three continuation bytes left
    static let afterE0: UInt8 = 5      // next must be A0–BF (no overlong 3-byte forms)
    static let afterED: UInt8 = 6      // next must be 80–9F (no surrogates)
    static let afterF0: UInt8 = 7      // next must be 90–BF (no overlong 4-byte forms)
    static let afterF4: UInt8 = 8      // next must be 80–8F (nothing above U+10FFFF)
    static let stateCount = 9

    // Byte classes.
    static let ascii: UInt8 = 0        // 00–7F
    static let cont80: UInt8 = 1       // 80–8F
    static let cont90: UInt8 = 2       // 90–9F
    static let contA0: UInt8 = 3       // A0–BF
    static let invalid: UInt8 = 4      // C0, C1, F5–FF
    static let lead2: UInt8 = 5        // C2–DF
    static let leadE0: UInt8 = 6       // E0
    static let lead3: UInt8 = 7        // E1–EC, EE–EF
    static let leadED: UInt8 = 8       // ED
    static let leadF0: UInt8 = 9       // F0
    static let lead4: UInt8 = 10       // F1–F3
    static let leadF4: UInt8 = 11      // F4
    static let classCount = 12

    /// The transition table, one 64-bit row per byte value: bits `6q ..< 6q + 6` of row `b`
    /// hold (next state × 6) for current state `q` and input byte `b`. Nine states × 6 bits
    /// fit in 54 bits. Derived from the byte classes and rules above.
    static let transitions: [UInt64] = {
        func byteClass(_ byte: Int) -> UInt8 {
            switch byte {
            case 0x00...0x7F: return ascii
            case 0x80...0x8F: return cont80
            case 0x90...0x9F: return cont90
            case 0xA0...0xBF: return contA0
            case 0xC2...0xDF: return lead2
            case 0xE0: return leadE0
            case 0xED: return leadED
            case 0xE1...0xEF: return lead3
            case 0xF0: return leadF0
            case 0xF1...0xF3: return lead4
            case 0xF4: return leadF4
            default: return invalid
            }
        }
        func next(_ state: UInt8, _ byteClass: UInt8) -> UInt8 {
            let isContinuation = byteClass == cont80 || byteClass == cont90 || byteClass == contA0
            switch state {
            case acceptState:
                switch byteClass {
                case ascii: return acceptState
                case lead2: return need1
                case leadE0: return afterE0
                case lead3: return need2
                case leadED: return afterED
                case leadF0: return afterF0
                case lead4: return need3
                case leadF4: return afterF4
                default: return rejectState
                }
            case need1: return isContinuation ? acceptState : rejectState
            case need2: return isContinuation ? need1 : rejectState
            case need3: return isContinuation ? need2 : rejectState
            case afterE0: return byteClass == contA0 ? need1 : rejectState
            case afterED: return byteClass == cont80 || byteClass == cont90 ? need1 : rejectState
            case afterF0: return byteClass == cont90 || byteClass == contA0 ? need2 : rejectState
            case afterF4: return byteClass == cont80 ? need2 : rejectState
            default: return rejectState
            }
        }
        var table = [UInt64](repeating: 0, count: 256)
        for byte in 0..<256 {
            var row: UInt64 = 0
            for state in 0..<stateCount {
                row |= UInt64(next(UInt8(state), byteClass(byte))) * 6 << UInt64(state * 6)
            }
            table[byte] = row
        }
        return table
    }()
}
