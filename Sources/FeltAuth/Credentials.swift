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

/// Password rules: at least 8 Unicode scalars, at most 1024 UTF-8 bytes.
public enum PasswordPolicy {
    /// Minimum length in Unicode scalars.
    public static let minimumScalars = 8
    /// Maximum length in UTF-8 bytes (bounds the hashing input).
    public static let maximumBytes = 1024

    /// Throws `CredentialError.weakPassword` unless `password` satisfies the rules.
    public static func validate(_ password: String) throws(CredentialError) {
        guard password.utf8.count <= maximumBytes else {
            throw .weakPassword("must be at most \(maximumBytes) bytes")
        }
        guard password.unicodeScalars.count >= minimumScalars else {
            throw .weakPassword("must be at least \(minimumScalars) characters")
        }
    }
}

/// Invalid registration input; `code` is the API error code (HTTP 400).
public enum CredentialError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The username breaks the rules; the text says which.
    case invalidUsername(String)
    /// The password breaks the rules; the text says which.
    case weakPassword(String)

    /// Stable error code: `invalid_username` or `weak_password`.
    public var code: String {
        switch self {
        case .invalidUsername: return "invalid_username"
        case .weakPassword: return "weak_password"
        }
    }

    /// Human-readable message for the response body.
    public var message: String {
        switch self {
        case .invalidUsername(let why): return "username " + why
        case .weakPassword(let why): return "password " + why
        }
    }

    public var description: String { "\(code): \(message)" }
}
