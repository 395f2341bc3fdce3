/// A WebSocket close status code (RFC 6455 §7.4).
///
/// Any 16-bit value can be represented; `isValidOnWire` tells whether a peer may send it.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The numeric status code.
    public let rawValue: UInt16

    /// Wraps a numeric status code.
    @inlinable
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    /// Wraps a numeric status code.
    @inlinable
    public init(_ rawValue: UInt16) { self.rawValue = rawValue }

    /// 1000: normal closure.
    public static let normalClosure = WebSocketCloseCode(1000)
    /// 1001: the endpoint is going away (server shutdown, idle timeout).
    public static let goingAway = WebSocketCloseCode(1001)
    /// 1002: protocol error.
    public static let protocolError = WebSocketCloseCode(1002)
    /// 1003: a data type the endpoint cannot accept.
    public static let unsupportedData = WebSocketCloseCode(1003)
    /// 1007: payload data not consistent with the message type (invalid UTF-8 text).
    public static let invalidPayloadData = WebSocketCloseCode(1007)
    /// 1008: policy violation.
    public static let policyViolation = WebSocketCloseCode(1008)
    /// 1009: message too big to process.
    public static let messageTooBig = WebSocketCloseCode(1009)
    /// 1010: the client expected an extension the server did not negotiate.
    public static let mandatoryExtension = WebSocketCloseCode(1010)
    /// 1011: the server met an unexpected condition.
    public static let internalError = WebSocketCloseCode(1011)

    /// Whether a peer may put this code in a close frame.
    ///
    /// Valid: 1000–1003, 1007–1011 and the application/private range 3000–4999.
    /// Everything else (0–999, 1004, 1005, 1006, 1012–2999 including 1015, ≥ 5000) is
    /// invalid on the wire and fails the connection with 1002.
    @inlinable
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1011, 3000...4999: return true
        default: return false
        }
    }

    /// The decimal code, e.g. `"1000"`.
    public var description: String { String(rawValue) }
}
