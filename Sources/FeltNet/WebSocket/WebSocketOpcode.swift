/// A WebSocket frame opcode (RFC 6455 §5.2).
///
/// Only the six opcodes defined by RFC 6455 exist as values; every other 4-bit value is
/// reserved and makes the parser fail the connection with close code 1002.
public enum WebSocketOpcode: UInt8, Sendable, Hashable, CaseIterable {
    /// Continuation of a fragmented text or binary message.
    case continuation = 0x0
    /// First (or only) frame of a UTF-8 text message.
    case text = 0x1
    /// First (or only) frame of a binary message.
    case binary = 0x2
    /// Close frame: optional 2-byte status code then a UTF-8 reason.
    case close = 0x8
    /// Ping: the peer must answer with a pong carrying the same payload.
    case ping = 0x9
    /// Pong: answer to a ping (or an unsolicited heartbeat).
    case pong = 0xA

    /// Whether this is a control opcode (close, ping, pong): at most 125 payload bytes, never fragmented.
    @inlinable
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
