/// Writing a frame header straight into an output buffer (the payload follows it there).
extension WebSocketFrameEncoder {
    /// Bytes of an unmasked frame header for a payload of `length` bytes (2, 4 or 10).
    @inlinable
    public static func headerSize(payloadLength length: Int) -> Int {
        length <= 125 ? 2 : (length <= 0xFFFF ? 4 : 10)
    }

    /// Appends an unmasked, final frame header (server frames) for `length` payload
    /// bytes; the caller appends exactly `length` payload bytes after it.
    public static func appendHeader(opcode: WebSocketOpcode, payloadLength length: Int, to out: inout [UInt8]) {
        out.append(0x80 | (opcode.rawValue & 0x0F))
        if length <= 125 {
            out.append(UInt8(length))
        } else if length <= 0xFFFF {
            out.append(126)
            out.append(UInt8(truncatingIfNeeded: length >> 8))
            out.append(UInt8(truncatingIfNeeded: length))
        } else {
            out.append(127)
            let wide = UInt64(length)
            for shift in 0..<8 { out.append(UInt8(truncatingIfNeeded: wide >> UInt64(56 - 8 * shift))) }
        }
    }
}
