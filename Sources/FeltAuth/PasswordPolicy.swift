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
