/// Why the frame parser failed a WebSocket connection, with the close code to send.
///
/// Every reason has a stable string code (`code`) for logs and metrics, and maps to exactly
/// one close status code (`closeCode`): 1002 for framing violations, 1007 for invalid UTF-8,
/// 1009 for an oversized message.
public struct WebSocketProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The specific violation.
    public enum Reason: String, Sendable, Hashable, CaseIterable {
        /// A server received an unmasked frame (clients must mask). 1002.
        case unmaskedFrame = "ws_unmasked_frame"
        /// A client received a masked frame (servers must not mask). 1002.
        case maskedFrame = "ws_masked_frame"
        /// RSV1, RSV2 or RSV3 set without a negotiated extension. 1002.
        case reservedBitsSet = "ws_reserved_bits"
        /// Opcode 3–7 or 0xB–0xF. 1002.
        case unknownOpcode = "ws_unknown_opcode"
        /// A control frame without FIN. 1002.
        case fragmentedControlFrame = "ws_fragmented_control"
        /// A control frame with more than 125 payload bytes. 1002.
        case controlFrameTooLong = "ws_control_too_long"
        /// A 64-bit payload length with the most significant bit set. 1002.
        case invalidPayloadLength = "ws_invalid_length"
        /// A continuation frame with no fragmented message in progress. 1002.
        case unexpectedContinuation = "ws_unexpected_continuation"
        /// A new text/binary frame while a fragmented message is still in progress. 1002.
        case expectedContinuation = "ws_expected_continuation"
        /// The message (declared frame lengths so far) exceeds the configured maximum. 1009.
        case messageTooBig = "ws_message_too_big"
        /// A text message (or close reason) is not valid UTF-8. 1007.
        case invalidUTF8 = "ws_invalid_utf8"
        /// A close frame with a 1-byte payload. 1002.
        case invalidClosePayload = "ws_invalid_close_payload"
        /// A close frame with a code that may not be sent on the wire. 1002.
        case invalidCloseCode = "ws_invalid_close_code"
    }

    /// The specific violation.
    public let reason: Reason

    /// Creates an error for a violation.
    public init(_ reason: Reason) { self.reason = reason }

    /// The stable string code, e.g. `"ws_invalid_utf8"`.
    public var code: String { reason.rawValue }

    /// The close status code to send when failing the connection for this violation.
    public var closeCode: WebSocketCloseCode {
        switch reason {
        case .messageTooBig: return .messageTooBig
        case .invalidUTF8: return .invalidPayloadData
        default: return .protocolError
        }
    }

    /// A short human-readable explanation (also used as the close reason).
    public var message: String {
        switch reason {
        case .unmaskedFrame: return "client frames must be masked"
        case .maskedFrame: return "server frames must not be masked"
        case .reservedBitsSet: return "reserved bits set"
        case .unknownOpcode: return "unknown opcode"
        case .fragmentedControlFrame: return "fragmented control frame"
        case .controlFrameTooLong: return "control frame too long"
        case .invalidPayloadLength: return "invalid payload length"
        case .unexpectedContinuation: return "continuation without a message"
        case .expectedContinuation: return "expected a continuation frame"
        case .messageTooBig: return "message too big"
        case .invalidUTF8: return "invalid UTF-8"
        case .invalidClosePayload: return "invalid close payload"
        case .invalidCloseCode: return "invalid close code"
        }
    }

    /// `"<code>: <message>"`.
    public var description: String { "\(code): \(message)" }
}
