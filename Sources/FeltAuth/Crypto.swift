import COpenSSL

/// Hashing, MACs, randomness and constant-time comparison, all through OpenSSL.
///
/// Inputs and outputs are plain byte arrays so that callers need no OpenSSL types.
public enum Crypto {
    /// Length in bytes of a SHA-256 digest (and of an HMAC-SHA256 tag).
    public static let sha256Length = 32

    /// SHA-256 of `data`.
    public static func sha256(_ data: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: sha256Length)
        data.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { out in
                _ = SHA256(input.baseAddress ?? emptyByte, input.count, out.baseAddress)
            }
        }
        return digest
    }

    /// SHA-256 of the UTF-8 bytes of `string`.
    public static func sha256(_ string: String) -> [UInt8] {
        sha256(Array(string.utf8))
    }

    /// `bytes` as lowercase hex, two digits a byte (a digest for a text column).
    public static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return byte < 16 ? "0" + digits : digits
        }.joined()
    }

    /// HMAC-SHA256 of `message` under `key` (RFC 2104 / RFC 4231).
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in hmacSHA256(key: k, message: m) }
        }
    }

    /// HMAC-SHA256 over raw buffers (no copies; used on the token hot path).
    static func hmacSHA256(key: UnsafeRawBufferPointer, message: UnsafeRawBufferPointer) -> [UInt8] {
        var tag = [UInt8](repeating: 0, count: sha256Length)
        var length: UInt32 = 0
        tag.withUnsafeMutableBufferPointer { out in
            _ = HMAC(felt_EVP_sha256(),
                     key.baseAddress ?? UnsafeRawPointer(emptyByte), Int32(key.count),
                     message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? emptyByte, message.count,
                     out.baseAddress, &length)
        }
        return tag
    }

    /// `count` cryptographically secure random bytes from OpenSSL's `RAND_bytes`.
    public static func randomBytes(_ count: Int) throws(CryptoError) -> [UInt8] {
        guard count > 0 else { return [] }
        var bytes = [UInt8](repeating: 0, count: count)
        let ok = bytes.withUnsafeMutableBufferPointer { RAND_bytes($0.baseAddress, Int32(count)) }
        guard ok == 1 else { throw CryptoError.randomUnavailable }
        return bytes
    }

    /// Whether `a` and `b` are equal, in time independent of where they differ
    /// (`CRYPTO_memcmp`). Lengths are not secret: different lengths return `false` at once.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        if a.isEmpty { return true }
        return a.withUnsafeBytes { pa in
            b.withUnsafeBytes { pb in CRYPTO_memcmp(pa.baseAddress, pb.baseAddress, a.count) == 0 }
        }
    }

    /// A valid pointer for zero-length inputs (OpenSSL treats some NULL arguments specially).
    nonisolated(unsafe) static let emptyByte: UnsafePointer<UInt8> = {
        // Allocated once and never freed or written: a stable address for empty inputs.
        let p = UnsafeMutablePointer<UInt8>.allocate(capacity: 1)
        p.initialize(to: 0)
        return UnsafePointer(p)
    }()

    /// The most recent OpenSSL error as text (for logs), clearing the error queue.
    static func lastOpenSSLError() -> String {
        let code = ERR_get_error()
        ERR_clear_error()
        guard code != 0 else { return "unknown OpenSSL error" }
        var buffer = [CChar](repeating: 0, count: 256)
        ERR_error_string_n(code, &buffer, buffer.count)
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// A failure inside the cryptographic library itself (not bad input).
public enum CryptoError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `RAND_bytes` could not produce secure random bytes.
    case randomUnavailable
    /// An OpenSSL call failed; the text is OpenSSL's reason, for logs.
    case openSSL(String)

    /// Stable error code.
    public var code: String { "crypto_failure" }

    public var description: String {
        switch self {
        case .randomUnavailable: return "crypto_failure: secure random bytes unavailable"
        case .openSSL(let reason): return "crypto_failure: \(reason)"
        }
    }
}
