import FeltAuth
import FeltConfig
import FeltNet
import FeltStore
import Foundation

/// Everything one tenant needs at run time: its configuration, token authority, rate
/// limiters, accounts in its schema, revoked access tokens and its status.
///
/// Built once per configuration generation. Route areas (`AuthRoutes`, later
/// `TableRoutes`) read what they need from it; a hot reload builds new runtimes and swaps
/// the host map. Tables will hang their per-tenant registry here as one more property.
public final class TenantRuntime: Sendable {
    /// The tenant's configuration.
    public let config: TenantConfig
    /// Ready, or unavailable with a reason (its hosts then answer 503 `tenant_unavailable`).
    public let status: TenantStatusCell
    /// Signs and verifies this tenant's access tokens; `nil` when its keys could not be loaded.
    public let authority: TokenAuthority?
    /// Accounts, refresh tokens and wallet issuance in the tenant's schema.
    public let accounts: AccountRepository
    /// Access tokens revoked by logout, until they expire.
    public let revokedAccessTokens: RevokedAccessTokens
    /// Login attempts, per client address and per username (`limits.login_rate`).
    public let loginLimiter: RateLimiter
    /// Registrations, per client address and per username (`limits.register_rate`).
    public let registerLimiter: RateLimiter
    /// scrypt hashing off the event loops (shared by all tenants).
    public let hasher: PasswordHasher
    /// Refresh-token lifetime in seconds.
    public let refreshTokenLifetime: Int64
    /// The JWKS document (EdDSA public keys), encoded once.
    public let jwks: [UInt8]
    /// The server log.
    public let log: ServerLog

    /// Builds the runtime; a key that fails to load makes the tenant unavailable (reason logged).
    public init(config: TenantConfig, pool: PostgresPool, hasher: PasswordHasher, status: TenantStatus, log: ServerLog) {
        self.config = config
        self.log = log
        self.hasher = hasher
        var status = status
        var authority: TokenAuthority?
        do {
            let keys = try config.jwt.keys.map { key throws(KeyError) -> JWTKey in
                let state: JWTKeyState = key.state == .active ? .active : .verifyOnly
                switch key.algorithm {
                case .hs256: return try JWTKey.hs256(kid: key.kid, secret: key.material.bytes, state: state)
                case .edDSA: return try JWTKey.edDSA(kid: key.kid, pem: key.material.text, state: state)
                }
            }
            authority = TokenAuthority(keySet: try KeySet(keys: keys), issuer: config.jwt.issuer, audience: config.id,
                                       accessTokenLifetime: max(1, config.jwt.accessTTL.milliseconds / 1000))
        } catch {
            status = .unavailable(reason: "\(error)")
        }
        self.authority = authority
        self.jwks = Array((authority?.keySet.jwksJSON() ?? "{\"keys\":[]}").utf8)
        self.status = TenantStatusCell(status)
        // TenantConfig ids are validated by FeltConfig with the same rule as TenantSchema.
        let schema = (try? TenantSchema(tenantID: config.id))
        if schema == nil { self.status.set(.unavailable(reason: "tenant id cannot name a schema")) }
        self.accounts = AccountRepository(pool: pool, schema: schema ?? TenantSchema.placeholder)
        self.revokedAccessTokens = RevokedAccessTokens()
        self.loginLimiter = RateLimiter(limit: Self.rate(config.limits.loginRate))
        self.registerLimiter = RateLimiter(limit: Self.rate(config.limits.registerRate))
        self.refreshTokenLifetime = max(1, config.jwt.refreshTTL.milliseconds / 1000)
    }

    /// The tenant id.
    public var id: String { config.id }

    /// Runs a store operation, mapping its failure to the API error (503 `database_unavailable`, …).
    public func store<T>(_ body: () async throws(DatabaseError) -> T) async throws(HTTPError) -> T {
        do {
            return try await body()
        } catch {
            throw APIError.database(error, log: log, tenant: id)
        }
    }

    /// Loads the tenant's still-valid revoked access tokens into memory (start-up).
    public func loadRevokedAccessTokens() async throws(DatabaseError) {
        let now = Int64(Date().timeIntervalSince1970)
        for entry in try await accounts.activeRevokedAccessTokens() {
            revokedAccessTokens.insert(entry.jti, expiresAt: entry.expiresAt, now: now)
        }
    }

    private static func rate(_ limit: FeltConfig.RateLimit) -> FeltAuth.RateLimit {
        if let rate = FeltAuth.RateLimit(count: max(1, limit.count), period: max(0.001, limit.period.seconds)) { return rate }
        // Unreachable: both arguments are forced positive above.
        preconditionFailure("rate limit with positive count and period was rejected")
    }
}

extension TenantSchema {
    /// A valid schema used only when a tenant id was rejected; such a tenant never serves.
    static let placeholder: TenantSchema = {
        // "unavailable" matches the schema id rule, so this cannot fail.
        guard let schema = try? TenantSchema(tenantID: "unavailable") else { preconditionFailure("schema id rule changed") }
        return schema
    }()
}
