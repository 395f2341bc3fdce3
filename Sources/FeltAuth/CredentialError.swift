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
