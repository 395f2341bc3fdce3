/// Encodes WebSocket frames (RFC 6455 §5.2) into `WebSocketEncodedFrame` values.
///
/// Server frames are unmasked (the default); pass a `maskingKey` to produce client frames
/// (used by test and benchmark clients). Every encoding makes exactly one allocation, sized
/// exactly: header + payload.
///
/// Control frames carry at most 125 payload bytes: longer ping/pong payloads are truncated to
/// 125 bytes, and a close reason is truncated (at a character boundary) to 123 UTF-8 bytes.
public enum WebSocketFrameEncoder {
    /// The maximum payload of a control frame.
    public static let maxControlPayload = 125

    // MARK: Messages

    /// A single-frame text message.
    public static func text(_ string: String, maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        var string = string
        return string.withUTF8 { frame(opcode: .text, payload: UnsafeRawBufferPointer($0), maskingKey: maskingKey) }
    }

    /// A single-frame text message from bytes the caller guarantees are valid UTF-8
    /// (e.g. `JSONEncoder` output); they are not re-validated.
    public static func text(utf8 bytes: [UInt8], maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        bytes.withUnsafeBytes { frame(opcode: .text, payload: $0, maskingKey: maskingKey) }
    }

    /// A single-frame text message from bytes the caller guarantees are valid UTF-8.
    public static func text(utf8 bytes: UnsafeRawBufferPointer, maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        frame(opcode: .text, payload: bytes, maskingKey: maskingKey)
    }

    /// A single-frame binary message.
    public static func binary(_ bytes: [UInt8], maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        bytes.withUnsafeBytes { frame(opcode: .binary, payload: $0, maskingKey: maskingKey) }
    }

    /// A single-frame binary message.
    public static func binary(_ bytes: UnsafeRawBufferPointer, maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        frame(opcode: .binary, payload: bytes, maskingKey: maskingKey)
    }

    // MARK: Control frames

    /// A ping (payload truncated to 125 bytes).
    public static func ping(_ payload: [UInt8] = [], maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        payload.withUnsafeBytes { control(.ping, $0, maskingKey) }
    }

    /// A pong (payload truncated to 125 bytes); answer a ping with its payload.
    public static func pong(_ payload: [UInt8] = [], maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        payload.withUnsafeBytes { control(.pong, $0, maskingKey) }
    }

    /// A close frame with a status code and a reason (truncated to 123 UTF-8 bytes at a
    /// character boundary). The code is written as given, even one invalid on the wire.
    public static func close(code: WebSocketCloseCode, reason: String = "", maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        var payload: [UInt8] = []
        let reasonBytes = truncatedUTF8(reason, maxBytes: maxControlPayload - 2)
        payload.reserveCapacity(2 + reasonBytes.count)
        payload.append(UInt8(truncatingIfNeeded: code.rawValue >> 8))
        payload.append(UInt8(truncatingIfNeeded: code.rawValue))
        payload.append(contentsOf: reasonBytes)
        return payload.withUnsafeBytes { frame(opcode: .close, payload: $0, maskingKey: maskingKey) }
    }

    /// A close frame with an empty payload (no status code).
    public static func emptyClose(maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        frame(opcode: .close, payload: UnsafeRawBufferPointer(start: nil, count: 0), maskingKey: maskingKey)
    }

    // MARK: General

    /// Any frame: `fin` false produces a fragment (with `.continuation` for the later ones).
    ///
    /// Control-frame limits are not enforced here (tests use this to build invalid frames);
    /// use `ping`, `pong` and `close` for well-formed control frames.
    public static func frame(opcode: WebSocketOpcode, payload: UnsafeRawBufferPointer, fin: Bool = true,
                             rsv: UInt8 = 0, maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        frame(rawOpcode: opcode.rawValue, payload: payload, fin: fin, rsv: rsv, maskingKey: maskingKey)
    }

    /// Any frame, with a raw 4-bit opcode (reserved ones included, for tests).
    public static func frame(rawOpcode: UInt8, payload: UnsafeRawBufferPointer, fin: Bool = true,
                             rsv: UInt8 = 0, maskingKey: WebSocketMaskingKey? = nil) -> WebSocketEncodedFrame {
        let length = payload.count
        let lengthBytes = length <= 125 ? 0 : (length <= 0xFFFF ? 2 : 8)
        let headerSize = 2 + lengthBytes + (maskingKey == nil ? 0 : 4)
        let total = headerSize + length
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            buffer[0] = (fin ? 0x80 : 0) | ((rsv & 0x7) << 4) | (rawOpcode & 0x0F)
            let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
            var index = 2
            switch lengthBytes {
            case 0:
                buffer[1] = maskBit | UInt8(length)
            case 2:
                buffer[1] = maskBit | 126
                buffer[2] = UInt8(truncatingIfNeeded: length >> 8)
                buffer[3] = UInt8(truncatingIfNeeded: length)
                index = 4
            default:
                buffer[1] = maskBit | 127
                let wide = UInt64(length)
                for shift in 0..<8 {
                    buffer[2 + shift] = UInt8(truncatingIfNeeded: wide >> UInt64(56 - 8 * shift))
                }
                index = 10
            }
            if let key = maskingKey {
                buffer[index] = key.b0
                buffer[index + 1] = key.b1
                buffer[index + 2] = key.b2
                buffer[index + 3] = key.b3
                index += 4
            }
            if length > 0, let source = payload.baseAddress, let destination = buffer.baseAddress {
                (destination + index).update(from: source.assumingMemoryBound(to: UInt8.self), count: length)
                if let key = maskingKey {
                    WebSocketMasking.apply(key, phase: 0,
                                           to: UnsafeMutableRawBufferPointer(start: destination + index, count: length))
                }
            }
            initialized = total
        }
        return WebSocketEncodedFrame(bytes: bytes)
    }

    static func control(_ opcode: WebSocketOpcode, _ payload: UnsafeRawBufferPointer,
                        _ maskingKey: WebSocketMaskingKey?) -> WebSocketEncodedFrame {
        let clipped = UnsafeRawBufferPointer(rebasing: payload.prefix(maxControlPayload))
        return frame(opcode: opcode, payload: clipped, maskingKey: maskingKey)
    }

    /// The UTF-8 of `string`, cut to at most `maxBytes` without splitting a character.
    static func truncatedUTF8(_ string: String, maxBytes: Int) -> [UInt8] {
        var bytes = Array(string.utf8)
        guard bytes.count > maxBytes else { return bytes }
        var end = maxBytes
        // Step back over continuation bytes so the cut lands on a scalar boundary.
        while end > 0 && bytes[end] & 0xC0 == 0x80 { end -= 1 }
        bytes.removeSubrange(end...)
        return bytes
    }
}
