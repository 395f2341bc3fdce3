import FeltAuth
import FeltNet
import Foundation

/// The caller of a request whose access token verified against the Host's tenant.
public struct AuthenticatedUser: Sendable, Equatable {
    /// The user id (`sub`).
    public let userID: Int64
    /// The verified claims (`jti` and `exp` are used by logout).
    public let claims: AccessTokenClaims
}

extension TenantRuntime {
    /// Authenticates an HTTP request by its `Authorization: Bearer` header, against this
    /// tenant's keys only (the runtime is the one the request's Host resolved to).
    /// Throws a 401 `invalid_token` for a missing, malformed, foreign, expired or revoked token.
    public func authenticate(_ request: HTTPRequest) throws(HTTPError) -> AuthenticatedUser {
        guard let token = BearerToken.fromAuthorizationHeader(request.headers["Authorization"]) else {
            throw Self.unauthorized("an access token is required (Authorization: Bearer <token>)")
        }
        return try authenticate(token: token)
    }

    /// Authenticates a WebSocket upgrade: `?token=` in the URL (as the client guide's
    /// `ws://…/ws/table/{id}?token={jwt}`), else the `Authorization: Bearer` header.
    public func authenticateWebSocket(_ request: HTTPRequest) throws(HTTPError) -> AuthenticatedUser {
        let query = request.queryString.map(String.init)
        if let token = BearerToken.fromQuery(query) ?? BearerToken.fromAuthorizationHeader(request.headers["Authorization"]) {
            return try authenticate(token: token)
        }
        throw Self.unauthorized("an access token is required (?token=<token> or Authorization: Bearer <token>)")
    }

    /// Verifies a compact access token: signature with the `kid`'s pinned algorithm from
    /// this tenant's key set, `iss`, `aud`, `exp`/`nbf`/`iat` with skew, `typ`, then revocation.
    public func authenticate(token: String) throws(HTTPError) -> AuthenticatedUser {
        guard let authority else { throw HTTPError(status: 503, code: "tenant_unavailable", message: "this club is unavailable") }
        let claims: AccessTokenClaims
        do {
            claims = try authority.verifyAccessToken(token)
        } catch {
            throw Self.unauthorized("the access token is not valid")
        }
        guard let userID = Int64(claims.subject), userID > 0 else { throw Self.unauthorized("the access token is not valid") }
        guard !revokedAccessTokens.contains(claims.tokenID) else { throw Self.unauthorized("the access token was revoked") }
        return AuthenticatedUser(userID: userID, claims: claims)
    }

    /// 401 `invalid_token` with a `WWW-Authenticate` challenge.
    static func unauthorized(_ message: String) -> HTTPError {
        HTTPError(status: 401, code: "invalid_token", message: message,
                  headers: ["WWW-Authenticate": "Bearer error=\"invalid_token\""])
    }
}
