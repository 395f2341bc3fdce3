import FeltAuth
import FeltNet
import FeltStore
import Foundation

/// Accounts and tokens: register, login, refresh, logout, me, token-check and the JWKS.
public enum AuthRoutes {
    /// The area as registered in every tenant's router.
    public static let area = RouteArea(name: "auth") { routes in
        routes.post("/api/auth/register", register)
        routes.post("/api/auth/login", login)
        routes.post("/api/auth/refresh", refresh)
        routes.post("/api/auth/logout", logout)
        routes.get("/api/auth/me", me)
        routes.get("/api/auth/token-check", tokenCheck)
        routes.get("/.well-known/jwks.json", jwks)
    }

    /// Longest accepted e-mail address.
    static let maximumEmailBytes = 254

    // MARK: Handlers

    @Sendable static func register(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let body = try request.decodeJSON(RegisterRequest.self)
        try limit(runtime.registerLimiter, context: context, username: body.username)
        let username: Username
        do {
            username = try Username(body.username)
            try PasswordPolicy.validate(body.password)
        } catch {
            throw APIError.badInput(code: error.code, message: error.message)
        }
        let email = try validatedEmail(body.email)
        let stored: String
        do { stored = try await runtime.hasher.hash(body.password) } catch {
            runtime.log("tenant \(runtime.id): password hashing failed: \(error)")
            throw APIError.internalError
        }
        let (refresh, record) = try newRefreshToken(runtime, familyID: nil)
        let user = try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.createUser(username: username, email: email, passwordHash: stored,
                                                  startingBalance: runtime.config.wallet.startingBalance, refresh: record)
        }
        let access = try issueAccess(runtime, userID: user.id)
        return .json(SessionBody(user: UserBody(user, chipName: runtime.config.wallet.chipName), accessToken: access.token,
                                 refreshToken: refresh.value, expiresIn: access.claims.expiresAt - access.claims.issuedAt),
                     status: 201)
    }

    @Sendable static func login(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let body = try request.decodeJSON(LoginRequest.self)
        try limit(runtime.loginLimiter, context: context, username: body.username)
        let canonical = body.username.lowercased()
        let found = (try? Username(body.username)) == nil ? nil : try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.credentials(canonicalUsername: canonical)
        }
        guard let found else {
            _ = await runtime.hasher.verifyUnknownUser(body.password) // same cost as a wrong password
            throw APIError.invalidCredentials
        }
        let matches = (try? await runtime.hasher.verify(body.password, stored: found.passwordHash)) ?? false
        guard matches else { throw APIError.invalidCredentials }
        runtime.loginLimiter.reset(userKey(body.username))
        if runtime.hasher.needsRehash(found.passwordHash) {
            // Stored with other scrypt parameters: upgrade now that the password is known.
            // Best effort; a failure only leaves the old (still valid) hash in place.
            if let upgraded = try? await runtime.hasher.hash(body.password) {
                _ = try? await runtime.accounts.updatePasswordHash(userID: found.user.id, passwordHash: upgraded)
            }
        }
        let (refresh, record) = try newRefreshToken(runtime, familyID: nil)
        try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.storeRefreshToken(record, userID: found.user.id)
        }
        let access = try issueAccess(runtime, userID: found.user.id)
        return .json(SessionBody(user: UserBody(found.user, chipName: runtime.config.wallet.chipName), accessToken: access.token,
                                 refreshToken: refresh.value, expiresIn: access.claims.expiresAt - access.claims.issuedAt))
    }

    @Sendable static func refresh(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let body = try request.decodeJSON(RefreshRequest.self)
        guard let presented = body.refreshToken.flatMap(RefreshToken.init(presented:)) else {
            throw TenantRuntime.unauthorized("the refresh token is not valid")
        }
        let (replacement, record) = try newRefreshToken(runtime, familyID: "")
        let outcome = try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.rotateRefreshToken(presentedHash: presented.hash, replacementHash: record.hash,
                                                          replacementExpiry: record.expiresAt)
        }
        switch outcome {
        case .rejected:
            throw TenantRuntime.unauthorized("the refresh token is not valid")
        case .reuseDetected:
            runtime.log("tenant \(runtime.id): refresh token reuse detected; family revoked")
            throw TenantRuntime.unauthorized("the refresh token was already used; the session is revoked")
        case .rotated(let userID):
            let access = try issueAccess(runtime, userID: userID)
            return .json(SessionBody(user: nil, accessToken: access.token, refreshToken: replacement.value,
                                     expiresIn: access.claims.expiresAt - access.claims.issuedAt))
        }
    }

    @Sendable static func logout(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let caller = try runtime.authenticate(request)
        var refreshHash: [UInt8]?
        if !request.body.isEmpty {
            let body = try request.decodeJSON(RefreshRequest.self)
            if let text = body.refreshToken {
                guard let token = RefreshToken(presented: text) else {
                    throw TenantRuntime.unauthorized("the refresh token is not valid")
                }
                refreshHash = token.hash
            }
        }
        let revoked = try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.logout(userID: caller.userID, jti: caller.claims.tokenID,
                                              accessExpiresAt: caller.claims.expiresAt, refreshHash: refreshHash)
        }
        runtime.revokedAccessTokens.insert(caller.claims.tokenID, expiresAt: caller.claims.expiresAt,
                                           now: Int64(Date().timeIntervalSince1970))
        return .json(LogoutBody(revokedRefreshTokens: revoked))
    }

    @Sendable static func me(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let caller = try runtime.authenticate(request)
        let user = try await runtime.store { () throws(DatabaseError) in
            try await runtime.accounts.profile(userID: caller.userID)
        }
        guard let user else { throw TenantRuntime.unauthorized("the account no longer exists") }
        return .json(UserBody(user, chipName: runtime.config.wallet.chipName))
    }

    @Sendable static func tokenCheck(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        let caller = try runtime.authenticate(request)
        return .json(TokenCheckBody(sub: caller.claims.subject, exp: caller.claims.expiresAt))
    }

    @Sendable static func jwks(_ request: HTTPRequest, _ context: RequestContext, _ runtime: TenantRuntime)
        async throws(HTTPError) -> HTTPResponse {
        var response = HTTPResponse.json(bytes: runtime.jwks)
        response.headers.replace("Content-Type", "application/jwk-set+json")
        response.headers.replace("Cache-Control", "public, max-age=300")
        return response
    }

    // MARK: Helpers

    /// Charges one attempt to the client address and to the (lower-cased) username.
    static func limit(_ limiter: RateLimiter, context: RequestContext, username: String) throws(HTTPError) {
        let decision = limiter.attempt(keys: ["ip:" + context.remoteAddress, userKey(username)])
        if case .limited(let retryAfter) = decision { throw APIError.rateLimited(retryAfter: retryAfter) }
    }

    static func userKey(_ username: String) -> String {
        "user:" + String(username.lowercased().prefix(64))
    }

    static func validatedEmail(_ email: String?) throws(HTTPError) -> String? {
        guard let email, !email.isEmpty else { return nil }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= maximumEmailBytes, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !email.contains(where: { $0.isWhitespace || $0.isNewline }) else {
            throw APIError.badInput(code: "invalid_email", message: "email must look like name@example.com (at most 254 bytes)")
        }
        return email
    }

    static func issueAccess(_ runtime: TenantRuntime, userID: Int64) throws(HTTPError) -> IssuedAccessToken {
        guard let authority = runtime.authority else { throw APIError.tenantUnavailable }
        do { return try authority.issueAccessToken(subject: String(userID)) } catch {
            runtime.log("tenant \(runtime.id): signing failed: \(error)")
            throw APIError.internalError
        }
    }

    /// A fresh refresh token and its storage record (a new family unless `familyID` is given;
    /// the rotation path ignores the record's family and keeps the presented token's).
    static func newRefreshToken(_ runtime: TenantRuntime, familyID: String?) throws(HTTPError) -> (RefreshToken, NewRefreshToken) {
        let token: RefreshToken
        do { token = try RefreshToken.generate() } catch {
            runtime.log("tenant \(runtime.id): random generation failed: \(error)")
            throw APIError.internalError
        }
        let expiry = Date().addingTimeInterval(Double(runtime.refreshTokenLifetime))
        return (token, NewRefreshToken(hash: token.hash, familyID: familyID ?? UUID().uuidString.lowercased(), expiresAt: expiry))
    }
}
