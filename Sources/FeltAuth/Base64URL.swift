/// Base64url (RFC 4648 §5) encoding and strict decoding.
///
/// Encoding never pads (as JWT and JWK require). Decoding is strict: only the
/// URL-safe alphabet, no whitespace, no `+` or `/`, unused trailing bits must be
/// zero (one canonical spelling per byte string), and padding only when allowed
/// and exactly right.
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps an ASCII byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    private static let reverse: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// Unpadded base64url text of `bytes`.
    public static func encode(_ bytes: [UInt8]) -> String {
        var out = [UInt8]()
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
            out.append(alphabet[Int(n & 63)])
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(alphabet[Int(n >> 6 & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Unpadded base64url text of the UTF-8 bytes of `string`.
    public static func encode(_ string: String) -> String { encode(Array(string.utf8)) }

    /// Decodes base64url text strictly; `nil` for anything malformed.
    ///
    /// - Parameter allowPadding: accept `=` padding, but only to a multiple of four
    ///   characters and only as many as the final group needs. JWT segments use `false`.
    public static func decode(_ text: String, allowPadding: Bool = false) -> [UInt8]? {
        var text = text
        return text.withUTF8 { decode(UnsafeRawBufferPointer($0), allowPadding: allowPadding) }
    }

    /// Strict decoding of raw ASCII bytes (see `decode(_:allowPadding:)`).
    static func decode(_ input: UnsafeRawBufferPointer, allowPadding: Bool = false) -> [UInt8]? {
        var count = input.count
        var padding = 0
        while count > 0 && input[count - 1] == UInt8(ascii: "=") {
            count -= 1
            padding += 1
        }
        if padding > 0 {
            guard allowPadding, padding <= 2, input.count % 4 == 0 else { return nil }
            // The padding must make up exactly the missing characters of the last group.
            guard (count + padding) % 4 == 0, (4 - count % 4) % 4 == padding else { return nil }
        }
        if count % 4 == 1 { return nil }
        var out = [UInt8]()
        out.reserveCapacity(count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in 0..<count {
            let value = reverse[Int(input[index])]
            if value == 0xFF { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits must be zero: otherwise several texts would decode to the same bytes.
        if bits > 0 && accumulator != 0 { return nil }
        return out
    }
}
