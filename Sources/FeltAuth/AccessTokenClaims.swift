/// The claims of a Felt access token.
public struct AccessTokenClaims: Sendable, Equatable {
    /// The `typ` claim value of access tokens.
    public static let accessType = "access"

    /// Subject: the user id.
    public var subject: String
    /// Issuer: the tenant's configured issuer.
    public var issuer: String
    /// Audience: the tenant id.
    public var audience: String
    /// Issued at (epoch seconds).
    public var issuedAt: Int64
    /// Not before (epoch seconds).
    public var notBefore: Int64
    /// Expires at (epoch seconds).
    public var expiresAt: Int64
    /// Unique token id (random), e.g. for revocation on logout.
    public var tokenID: String
    /// Token type (`"access"`).
    public var type: String

    /// Claims from their parts.
    public init(subject: String, issuer: String, audience: String, issuedAt: Int64, notBefore: Int64,
                expiresAt: Int64, tokenID: String, type: String = AccessTokenClaims.accessType) {
        self.subject = subject
        self.issuer = issuer
        self.audience = audience
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.expiresAt = expiresAt
        self.tokenID = tokenID
        self.type = type
    }

    /// The claim set as compact JSON.
    var json: String {
        var out = "{\"sub\":"
        CompactJSON.appendString(subject, to: &out)
        out.append(",\"iss\":")
        CompactJSON.appendString(issuer, to: &out)
        out.append(",\"aud\":")
        CompactJSON.appendString(audience, to: &out)
        out.append(",\"iat\":\(issuedAt),\"nbf\":\(notBefore),\"exp\":\(expiresAt),\"jti\":")
        CompactJSON.appendString(tokenID, to: &out)
        out.append(",\"typ\":")
        CompactJSON.appendString(type, to: &out)
        out.append("}")
        return out
    }
}
