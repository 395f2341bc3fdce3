/// One outbound WebSocket text message rendered once and shared by every receiver.
///
/// Game views need a per-connection `seq`: their body is everything after
/// `{"type":"game_view","seq":N,` so a connection only prepends its prefix
/// (`write(seq:into:)`). Events and errors are complete messages.
///
/// A game view is not assembled per viewer: it refers to its table version's `GameViewSet`
/// and the viewer's seat, and its bytes are written straight into the connection's frame
/// (`count(seq:)`, `copyBytes(seq:to:)`), so a viewer's message costs one copy of the
/// shared pieces and no allocation of its own.
public struct SharedMessage: Sendable, Equatable {
    /// What the message is.
    public enum Kind: Sendable, Equatable {
        /// A game view (body without the type/seq prefix).
        case gameView
        /// A complete `{"type":"event",...}` message.
        case event
        /// A complete `{"type":"error",...}` message.
        case error
    }

    enum Storage: Sendable {
        /// Ready bytes.
        case bytes([UInt8])
        /// One seat's view (`-1` = spectator) of a rendered table version.
        case view(GameViewSet, seat: Int)
    }

    /// The kind.
    public let kind: Kind
    let storage: Storage

    /// Creates a message from ready bytes.
    public init(kind: Kind, body: [UInt8]) {
        self.kind = kind
        self.storage = .bytes(body)
    }

    init(view set: GameViewSet, seat: Int) {
        kind = .gameView
        storage = .view(set, seat: seat)
    }

    /// The rendered bytes (see the type's documentation); for a game view they are
    /// assembled on each call (tests, diagnostics).
    public var body: [UInt8] {
        switch storage {
        case .bytes(let b): return b
        case .view(let set, let seat):
            let n = set.bodyCount(seat: seat)
            return [UInt8](unsafeUninitializedCapacity: n) { buf, initialized in
                if let base = buf.baseAddress { set.copyBody(seat: seat, to: base) }
                initialized = n
            }
        }
    }

    /// The body's length in bytes.
    public var bodyCount: Int {
        switch storage {
        case .bytes(let b): return b.count
        case .view(let set, let seat): return set.bodyCount(seat: seat)
        }
    }

    static let viewPrefix: StaticString = "{\"type\":\"game_view\",\"seq\":"

    /// Length of the complete message for `seq`.
    public func count(seq: UInt64) -> Int {
        guard kind == .gameView else { return bodyCount }
        return Self.viewPrefix.utf8CodeUnitCount + decimalDigits(seq) + 1 + bodyCount
    }

    /// Writes the complete message for `seq` at `base`, which has room for `count(seq:)`
    /// bytes; returns the number written (`count(seq:)`).
    @discardableResult
    public func copyBytes(seq: UInt64, to base: UnsafeMutablePointer<UInt8>) -> Int {
        var p = base
        if kind == .gameView {
            let prefix = Self.viewPrefix
            p.update(from: prefix.utf8Start, count: prefix.utf8CodeUnitCount)
            p += prefix.utf8CodeUnitCount
            p += writeDecimal(seq, to: p)
            p.pointee = UInt8(ascii: ",")
            p += 1
        }
        switch storage {
        case .bytes(let b):
            b.withUnsafeBufferPointer { src in
                if let s = src.baseAddress { p.update(from: s, count: src.count) }
                p += src.count
            }
        case .view(let set, let seat):
            p += set.copyBody(seat: seat, to: p)
        }
        return p - base
    }

    /// Appends the complete message for a connection whose next game-view seq is `seq`
    /// (ignored for events and errors).
    public func write(seq: UInt64, into out: inout [UInt8]) {
        let n = count(seq: seq)
        let start = out.count
        out.append(contentsOf: repeatElement(0, count: n))
        out.withUnsafeMutableBufferPointer { buf in
            if let base = buf.baseAddress { copyBytes(seq: seq, to: base + start) }
        }
    }

    /// The complete message as bytes for `seq`.
    public func bytes(seq: UInt64) -> [UInt8] {
        let n = count(seq: seq)
        return [UInt8](unsafeUninitializedCapacity: n) { buf, initialized in
            if let base = buf.baseAddress { copyBytes(seq: seq, to: base) }
            initialized = n
        }
    }

    /// The complete message as text for `seq` (tests, logs).
    public func text(seq: UInt64) -> String { String(decoding: bytes(seq: seq), as: UTF8.self) }

    /// Messages are equal when their kinds and bodies are.
    public static func == (lhs: SharedMessage, rhs: SharedMessage) -> Bool {
        lhs.kind == rhs.kind && lhs.body == rhs.body
    }
}

/// Number of decimal digits of `value` (1 for 0).
@inline(__always)
func decimalDigits(_ value: UInt64) -> Int {
    var n = 1
    var v = value
    while v >= 10 { v /= 10; n += 1 }
    return n
}

/// Writes `value` in decimal at `p`; returns the number of bytes written.
@inline(__always)
func writeDecimal(_ value: UInt64, to p: UnsafeMutablePointer<UInt8>) -> Int {
    let n = decimalDigits(value)
    var v = value
    var i = n - 1
    while i >= 0 {
        p[i] = UInt8(truncatingIfNeeded: v % 10) &+ 48
        v /= 10
        i -= 1
    }
    return n
}
