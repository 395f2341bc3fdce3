/// One outbound WebSocket text message rendered once and shared by every receiver.
///
/// Game views need a per-connection `seq`: their `body` is everything after
/// `{"type":"game_view","seq":N,` so a connection only prepends its prefix
/// (`write(seq:into:)`). Events and errors are complete messages.
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

    /// The kind.
    public let kind: Kind
    /// The rendered bytes (see the type's documentation).
    public let body: [UInt8]

    /// Creates a message.
    public init(kind: Kind, body: [UInt8]) {
        self.kind = kind
        self.body = body
    }

    /// Appends the complete message for a connection whose next game-view seq is `seq`
    /// (ignored for events and errors).
    public func write(seq: UInt64, into out: inout [UInt8]) {
        guard kind == .gameView else {
            out.append(contentsOf: body)
            return
        }
        var w = JSONWriter(capacity: 40)
        w.raw("{\"type\":\"game_view\",\"seq\":")
        w.int64(Int64(truncatingIfNeeded: seq))
        w.byte(UInt8(ascii: ","))
        out.append(contentsOf: w.bytes)
        out.append(contentsOf: body)
    }

    /// The complete message as bytes for `seq`.
    public func bytes(seq: UInt64) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(body.count + 40)
        write(seq: seq, into: &out)
        return out
    }

    /// The complete message as text for `seq` (tests, logs).
    public func text(seq: UInt64) -> String { String(decoding: bytes(seq: seq), as: UTF8.self) }
}
