/// A valid username: 3–32 characters from `[A-Za-z0-9_.-]`, starting with a letter
/// or a digit. Uniqueness is case-insensitive through `canonical`.
public struct Username: Sendable, Equatable, Hashable {
    /// Accepted length in characters.
    public static let lengthRange = 3...32

    /// The name as the user typed it (shown to others).
    public let display: String
    /// The uniqueness key: ASCII-lowercased.
    public let canonical: String

    /// Validates `raw`, or throws `CredentialError.invalidUsername`.
    public init(_ raw: String) throws(CredentialError) {
        let bytes = Array(raw.utf8)
        guard Self.lengthRange.contains(bytes.count) else {
            throw .invalidUsername("must be \(Self.lengthRange.lowerBound)–\(Self.lengthRange.upperBound) characters")
        }
        for byte in bytes where !Self.isAllowed(byte) {
            throw .invalidUsername("may contain only letters A–Z, a–z, digits, '_', '.' and '-'")
        }
        guard let first = bytes.first, Self.isAlphanumeric(first) else {
            throw .invalidUsername("must start with a letter or a digit")
        }
        display = raw
        canonical = raw.lowercased()
    }

    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    private static func isAllowed(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-")
    }
}
