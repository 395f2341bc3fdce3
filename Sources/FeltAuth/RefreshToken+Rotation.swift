/// What the database knows about a presented refresh token (looked up by its hash).
public struct StoredRefreshToken: Sendable, Equatable {
    /// The token's family.
    public var familyID: String
    /// Expiry (epoch seconds).
    public var expiresAt: Int64
    /// Whether this token was already exchanged for a new pair.
    public var used: Bool
    /// Whether its family was revoked (logout or detected reuse).
    public var familyRevoked: Bool

    /// A stored record from its fields.
    public init(familyID: String, expiresAt: Int64, used: Bool, familyRevoked: Bool) {
        self.familyID = familyID
        self.expiresAt = expiresAt
        self.used = used
        self.familyRevoked = familyRevoked
    }
}

/// The decision for a refresh request, made without I/O.
public enum RefreshDecision: Sendable, Equatable {
    /// Mark the token used and issue a new pair in the same family.
    case rotate(familyID: String)
    /// A used token was presented again: revoke the whole family; answer 401.
    case reuseDetected(familyID: String)
    /// Unknown, expired or revoked: answer 401, change nothing.
    case reject(reason: String)

    /// Decides what to do with a presented token given its stored record (`nil` if unknown).
    /// Revocation wins over everything; reuse of a used token is detected even after expiry.
    public static func decide(stored: StoredRefreshToken?, now: Int64) -> RefreshDecision {
        guard let stored else { return .reject(reason: "unknown") }
        if stored.familyRevoked { return .reject(reason: "revoked") }
        if stored.used { return .reuseDetected(familyID: stored.familyID) }
        if now >= stored.expiresAt { return .reject(reason: "expired") }
        return .rotate(familyID: stored.familyID)
    }
}
