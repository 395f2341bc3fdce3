/// Issues and verifies one tenant's access tokens.
///
/// Built by the server from the tenant's configuration: its key set, its issuer,
/// its id as the audience and the access-token lifetime. Verification looks `kid`
/// up only in this tenant's key set and requires the algorithm pinned to that key,
/// so a token of another tenant, or one relabelled to another algorithm, is rejected.
public struct TokenAuthority: Sendable {
    /// Tokens longer than this are rejected before any decoding.
    public static let maximumTokenLength = 4096
    /// Default tolerated clock difference, in seconds.
    public static let defaultClockSkew: Int64 = 30

    /// This tenant's keys.
    public let keySet: KeySet
    /// The `iss` this tenant signs and expects.
    public let issuer: String
    /// The `aud` this tenant signs and expects (the tenant id).
    public let audience: String
    /// Access-token lifetime in seconds (default 15 minutes).
    public let accessTokenLifetime: Int64
    /// Tolerated clock difference in seconds for `exp`, `nbf` and `iat`.
    public let clockSkew: Int64
    /// Source of the current time.
    public let clock: AuthClock

    /// An authority for one tenant.
    public init(keySet: KeySet, issuer: String, audience: String, accessTokenLifetime: Int64 = 900,
                clockSkew: Int64 = TokenAuthority.defaultClockSkew, clock: AuthClock = .wall) {
        self.keySet = keySet
        self.issuer = issuer
        self.audience = audience
        self.accessTokenLifetime = accessTokenLifetime
        self.clockSkew = clockSkew
        self.clock = clock
    }

    /// Current time in whole epoch seconds.
    var nowSeconds: Int64 {
        let now = clock.now()
        return now.isFinite ? Int64(now.rounded(.down)) : 0
    }
}

/// A freshly signed access token and its claims.
public struct IssuedAccessToken: Sendable, Equatable {
    /// The compact JWS (`header.payload.signature`).
    public let token: String
    /// What the token says (for responses such as `expires_in`, and for revocation by `jti`).
    public let claims: AccessTokenClaims
}
