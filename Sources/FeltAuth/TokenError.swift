/// A rejected access token. The HTTP layer answers every case with 401
/// `invalid_token`; `reason` says why, for logs only (never sent to clients).
public struct TokenError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Why a token was rejected.
    public enum Reason: String, Sendable, Equatable {
        /// Longer than `TokenVerifier.maximumTokenLength` (checked before any parsing).
        case oversized
        /// Not three dot-separated segments, bad base64url, or invalid JSON.
        case malformed
        /// The header says `alg: none`.
        case algorithmNone = "algorithm_none"
        /// The header's `alg` differs from the algorithm pinned to the key (algorithm confusion).
        case algorithmMismatch = "algorithm_mismatch"
        /// The header has no `kid`, or it is not a string.
        case missingKid = "missing_kid"
        /// The `kid` is not in this tenant's key set.
        case unknownKid = "unknown_kid"
        /// The header's `typ` is present and not `JWT`.
        case badHeaderType = "bad_header_type"
        /// The signature does not match the header and payload.
        case badSignature = "bad_signature"
        /// A required claim is missing or has the wrong JSON type.
        case missingClaim = "missing_claim"
        /// `exp` is in the past (beyond the clock skew).
        case expired
        /// `nbf` (or `iat`) is in the future (beyond the clock skew).
        case notYetValid = "not_yet_valid"
        /// `iss` is not this tenant's issuer.
        case wrongIssuer = "wrong_issuer"
        /// `aud` is not this tenant's id.
        case wrongAudience = "wrong_audience"
        /// The `typ` claim is not `access`.
        case wrongType = "wrong_type"
    }

    /// The specific reason (for logs).
    public let reason: Reason
    /// Extra detail for logs (e.g. which claim); never contains secrets.
    public let detail: String

    /// An error for `reason`, with optional detail.
    public init(_ reason: Reason, _ detail: String = "") {
        self.reason = reason
        self.detail = detail
    }

    /// Stable client-facing error code (401).
    public var code: String { "invalid_token" }

    public var description: String {
        detail.isEmpty ? "invalid_token (\(reason.rawValue))" : "invalid_token (\(reason.rawValue): \(detail))"
    }
}

/// Signing a token failed: no active key, or an OpenSSL failure.
public enum TokenSigningError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The key set has no `active` key.
    case noActiveKey
    /// The cryptographic library failed.
    case crypto(CryptoError)

    /// Stable error code.
    public var code: String { "token_signing_failed" }

    public var description: String {
        switch self {
        case .noActiveKey: return "token_signing_failed: no active key in the key set"
        case .crypto(let error): return "token_signing_failed: \(error)"
        }
    }
}
