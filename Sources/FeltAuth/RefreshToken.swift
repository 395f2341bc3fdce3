/// An opaque refresh token: 256 random bits, base64url for the client (43 characters).
/// Only its SHA-256 (`RefreshToken.hash`) is stored.
public struct RefreshToken: Sendable, Equatable {
    /// Random bytes per token.
    public static let byteCount = 32
    /// Length of the client form.
    public static let encodedLength = 43

    /// The client form (base64url, unpadded).
    public let value: String

    /// A new random token.
    public static func generate() throws(CryptoError) -> RefreshToken {
        RefreshToken(value: Base64URL.encode(try Crypto.randomBytes(byteCount)))
    }

    private init(value: String) { self.value = value }

    /// Validates a token presented by a client: exactly 43 base64url characters
    /// decoding to 32 bytes; `nil` otherwise (answer 401 without a database lookup).
    public init?(presented: String) {
        guard presented.utf8.count == Self.encodedLength,
              let bytes = Base64URL.decode(presented), bytes.count == Self.byteCount else { return nil }
        value = presented
    }

    /// The storage form of a token: SHA-256 of its client text (32 bytes).
    public static func hash(_ value: String) -> [UInt8] { Crypto.sha256(value) }

    /// The storage form as lowercase hex (64 characters), for text columns.
    public static func hashHex(_ value: String) -> String {
        Crypto.hex(hash(value))
    }

    /// This token's storage hash.
    public var hash: [UInt8] { Self.hash(value) }

    /// A new family id (128 random bits, base64url): every token rotated from one
    /// login shares it, so reuse of any of them revokes them all.
    public static func newFamilyID() throws(CryptoError) -> String {
        Base64URL.encode(try Crypto.randomBytes(16))
    }
}
