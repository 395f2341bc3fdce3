import FeltAuth
import FeltStore
import Foundation

/// A user as the API shows it.
public struct AccountProfile: Sendable, Equatable {
    /// Row id; also the access token's `sub`.
    public let id: Int64
    /// The name as registered (case kept).
    public let username: String
    /// Optional e-mail address.
    public let email: String?
    /// Creation time, ISO 8601 UTC (`2026-11-29T08:00:00Z`).
    public let createdAt: String
    /// Wallet balance in chips.
    public let balance: Int64
}

/// A refresh token about to be stored: only its hash reaches the database.
public struct NewRefreshToken: Sendable {
    /// SHA-256 of the client form.
    public let hash: [UInt8]
    /// Family (uuid text).
    public let familyID: String
    /// Expiry.
    public let expiresAt: Date

    /// A token record.
    public init(hash: [UInt8], familyID: String, expiresAt: Date) {
        self.hash = hash
        self.familyID = familyID
        self.expiresAt = expiresAt
    }
}

/// What a refresh attempt did in the database.
public enum RefreshOutcome: Sendable, Equatable {
    /// The presented token was marked used and the replacement stored; it belongs to `userID`.
    case rotated(userID: Int64)
    /// A used token came back: its whole family is now revoked.
    case reuseDetected
    /// Unknown, expired or revoked; nothing changed.
    case rejected(reason: String)
}

/// One tenant's accounts, refresh tokens, revoked access tokens and starting-balance
/// issuance, in the tenant's schema through the shared pool.
///
/// Lookups, rotation and the ledger posting go through FeltStore's `TenantStore`; the
/// statements kept here are the ones the store has no single-transaction form for
/// (register with its first refresh token, logout with an ownership check).
///
/// Every statement names the schema explicitly (`"tenant_<id>".users`): shared connections
/// never carry a tenant `search_path`. Values only travel as parameters; the schema name
/// comes from `TenantSchema`, which admits only `[a-z][a-z0-9_]{0,39}` ids.
public struct AccountRepository: Sendable {
    /// The pool shared by all tenants.
    public let pool: PostgresPool
    /// The tenant's schema.
    public let schema: TenantSchema
    /// FeltStore's repository functions over the same pool.
    public let store: TenantStore

    private var s: String { schema.quoted }

    /// A repository for `schema` on `pool`.
    public init(pool: PostgresPool, schema: TenantSchema) {
        self.pool = pool
        self.schema = schema
        self.store = TenantStore(pool: pool)
    }

    /// ISO 8601 UTC with whole seconds, as the API shows times.
    static func isoTime(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(timeZone: TimeZone(identifier: "UTC") ?? .gmt))
    }

    private static func profile(_ user: UserRecord) -> AccountProfile {
        AccountProfile(id: user.id, username: user.username, email: user.email, createdAt: isoTime(user.createdAt),
                       balance: user.walletBalance)
    }

    static let createdAtSQL = "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at"

    /// Creates the user, its wallet credited with `startingBalance` from the tenant's
    /// issuance account (one balanced journal entry), and its first refresh token, in one
    /// transaction. Throws `username_taken` when the name exists case-insensitively.
    public func createUser(username: Username, email: String?, passwordHash: String, startingBalance: Int64,
                           refresh: NewRefreshToken) async throws(DatabaseError) -> AccountProfile {
        let s = self.s, store = self.store, schema = self.schema
        return try await pool.transaction { tx throws(DatabaseError) -> AccountProfile in
            let inserted: QueryResult
            do throws(DatabaseError) {
                inserted = try await tx.query("""
                    INSERT INTO \(s).users AS u (username, username_lower, email, password_hash)
                    VALUES ($1, $2, $3, $4)
                    RETURNING u.id, \(Self.createdAtSQL)
                    """, [.text(username.display), .text(username.display.lowercased()),
                          email.map { .text($0) } ?? .null, .text(passwordHash)])
            } catch where error.code == .uniqueViolation {
                throw DatabaseError(.usernameTaken, "username is taken", sqlState: error.sqlState, constraint: error.constraint)
            }
            guard let row = inserted.first else { throw DatabaseError(.queryFailed, "user insert returned no row") }
            let userID = try row.int64("id")
            let createdAt = try row.string("created_at")
            let wallet = try await tx.query("""
                INSERT INTO \(s).ledger_accounts (kind, user_id) VALUES ('wallet', $1) RETURNING id
                """, [.int(userID)])
            guard let walletID = try wallet.first?.int64("id") else { throw DatabaseError(.queryFailed, "wallet insert returned no row") }
            if startingBalance > 0 {
                let issuance = try await store.systemAccount(.issuance, tenant: schema, in: tx)
                _ = try await store.postEntry(tenant: schema, kind: "starting_balance", reference: "user:\(userID)",
                                              idempotencyKey: "starting_balance:user:\(userID)",
                                              postings: [Posting(account: issuance, amount: -startingBalance),
                                                         Posting(account: walletID, amount: startingBalance)],
                                              in: tx)
            }
            try await Self.insertRefresh(refresh, userID: userID, schema: s, tx: tx)
            return AccountProfile(id: userID, username: username.display, email: email, createdAt: createdAt,
                              balance: max(0, startingBalance))
        }
    }

    /// The user and stored password hash for a username (compared case-insensitively), if any.
    public func credentials(canonicalUsername: String) async throws(DatabaseError) -> (user: AccountProfile, passwordHash: String)? {
        guard let user = try await store.findUser(tenant: schema, username: canonicalUsername) else { return nil }
        return (Self.profile(user), user.passwordHash)
    }

    /// Profile and balance of user `id` (one indexed query: user by id joined with its wallet).
    public func profile(userID: Int64) async throws(DatabaseError) -> AccountProfile? {
        try await store.findUser(tenant: schema, id: userID).map(Self.profile)
    }

    /// Stores a new refresh token (a new family after login).
    public func storeRefreshToken(_ token: NewRefreshToken, userID: Int64) async throws(DatabaseError) {
        guard let family = UUID(uuidString: token.familyID) else { throw DatabaseError(.invalidValue, "family id is not a UUID") }
        try await store.storeRefreshToken(tenant: schema, tokenHash: token.hash, familyID: family, userID: userID,
                                          expiresAt: token.expiresAt)
    }

    /// Exchanges the token whose hash is `presentedHash` for `replacementHash` (same family),
    /// or revokes the family when the token was already used. The row is locked, so two
    /// concurrent refreshes with one token end as one rotation and one reuse detection.
    public func rotateRefreshToken(presentedHash: [UInt8], replacementHash: [UInt8],
                                   replacementExpiry: Date) async throws(DatabaseError) -> RefreshOutcome {
        switch try await store.rotateRefreshToken(tenant: schema, presentedHash: presentedHash, newHash: replacementHash,
                                                  newExpiresAt: replacementExpiry) {
        case .rotated(let userID, _): return .rotated(userID: userID)
        case .reuseDetected: return .reuseDetected
        case .revoked: return .rejected(reason: "revoked")
        case .expired: return .rejected(reason: "expired")
        case .notFound: return .rejected(reason: "unknown")
        }
    }

    /// Logout: revokes `jti` until `expiresAt` and either the family of the refresh token
    /// with `refreshHash` (when it belongs to `userID`) or, without one, every refresh
    /// token of the user. Returns how many refresh tokens were revoked.
    @discardableResult
    public func logout(userID: Int64, jti: String, accessExpiresAt: Int64, refreshHash: [UInt8]?) async throws(DatabaseError) -> Int {
        let s = self.s
        return try await pool.transaction { tx throws(DatabaseError) -> Int in
            _ = try await tx.query("""
                INSERT INTO \(s).revoked_access_tokens (jti, user_id, expires_at) VALUES ($1, $2, to_timestamp($3))
                ON CONFLICT (jti) DO NOTHING
                """, [.text(jti), .int(userID), .int(accessExpiresAt)])
            let revoked: QueryResult
            if let refreshHash {
                revoked = try await tx.query("""
                    UPDATE \(s).refresh_tokens SET revoked_at = now()
                    WHERE revoked_at IS NULL AND family_id = (
                        SELECT family_id FROM \(s).refresh_tokens WHERE token_hash = $1 AND user_id = $2)
                    """, [.bytes(refreshHash), .int(userID)])
            } else {
                revoked = try await tx.query("""
                    UPDATE \(s).refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL
                    """, [.int(userID)])
            }
            return revoked.affectedRows
        }
    }

    /// Replaces a user's password hash (rehash with current parameters after a login).
    public func updatePasswordHash(userID: Int64, passwordHash: String) async throws(DatabaseError) {
        _ = try await pool.query("UPDATE \(s).users SET password_hash = $2 WHERE id = $1", [.int(userID), .text(passwordHash)])
    }

    /// Revoked access tokens that have not expired yet (loaded into memory at start-up).
    public func activeRevokedAccessTokens() async throws(DatabaseError) -> [(jti: String, expiresAt: Int64)] {
        let result = try await pool.query("""
            SELECT jti, extract(epoch FROM expires_at)::bigint AS expires_at
            FROM \(s).revoked_access_tokens WHERE expires_at > now()
            """)
        var out: [(jti: String, expiresAt: Int64)] = []
        for row in result.rows { out.append((try row.string("jti"), try row.int64("expires_at"))) }
        return out
    }

    private static func insertRefresh(_ token: NewRefreshToken, userID: Int64, schema s: String,
                                      tx: PostgresTransaction) async throws(DatabaseError) {
        _ = try await tx.query("""
            INSERT INTO \(s).refresh_tokens (token_hash, family_id, user_id, expires_at) VALUES ($1, $2::uuid, $3, $4)
            """, [.bytes(token.hash), .text(token.familyID), .int(userID), .timestamp(token.expiresAt)])
    }
}
