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
/// Every statement names the schema explicitly (`"tenant_<id>".users`): shared connections
/// never carry a tenant `search_path`. Values only travel as parameters; the schema name
/// comes from `TenantSchema`, which admits only `[a-z][a-z0-9_]{0,39}` ids.
public struct AccountRepository: Sendable {
    /// The pool shared by all tenants.
    public let pool: PostgresPool
    /// The tenant's schema.
    public let schema: TenantSchema

    private var s: String { schema.quoted }

    /// A repository for `schema` on `pool`.
    public init(pool: PostgresPool, schema: TenantSchema) {
        self.pool = pool
        self.schema = schema
    }

    static let createdAtSQL = "to_char(u.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') AS created_at"

    /// Creates the user, its wallet credited with `startingBalance` from the tenant's
    /// issuance account (one balanced journal entry), and its first refresh token, in one
    /// transaction. Throws `username_taken` when the name exists case-insensitively.
    public func createUser(username: Username, email: String?, passwordHash: String, startingBalance: Int64,
                           refresh: NewRefreshToken) async throws(DatabaseError) -> AccountProfile {
        let s = self.s
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
                let entry = try await tx.query("""
                    INSERT INTO \(s).journal_entries (kind, reference, idempotency_key)
                    VALUES ('starting_balance', $1, $2) RETURNING id
                    """, [.text("user:\(userID)"), .text("starting_balance:user:\(userID)")])
                guard let entryID = try entry.first?.int64("id") else { throw DatabaseError(.queryFailed, "journal insert returned no row") }
                _ = try await tx.query("""
                    INSERT INTO \(s).postings (entry_id, account_id, amount)
                    SELECT $1::bigint, a.id, -$2::bigint FROM \(s).ledger_accounts a WHERE a.kind = 'issuance'
                    UNION ALL SELECT $1::bigint, $3::bigint, $2::bigint
                    """, [.int(entryID), .int(startingBalance), .int(walletID)])
            }
            try await Self.insertRefresh(refresh, userID: userID, schema: s, tx: tx)
            return AccountProfile(id: userID, username: username.display, email: email, createdAt: createdAt,
                              balance: max(0, startingBalance))
        }
    }

    /// The user and stored password hash for a canonical (lower-case) username, if any.
    public func credentials(canonicalUsername: String) async throws(DatabaseError) -> (user: AccountProfile, passwordHash: String)? {
        let result = try await pool.query("""
            SELECT u.id, u.username, u.email, \(Self.createdAtSQL), u.password_hash, coalesce(w.balance, 0) AS balance
            FROM \(s).users u LEFT JOIN \(s).ledger_accounts w ON w.user_id = u.id AND w.kind = 'wallet'
            WHERE u.username_lower = $1
            """, [.text(canonicalUsername)])
        guard let row = result.first else { return nil }
        return (try Self.user(row), try row.string("password_hash"))
    }

    /// Profile and balance of user `id` (one indexed query), if the user exists.
    public func profile(userID: Int64) async throws(DatabaseError) -> AccountProfile? {
        let result = try await pool.query("""
            SELECT u.id, u.username, u.email, \(Self.createdAtSQL), coalesce(w.balance, 0) AS balance
            FROM \(s).users u LEFT JOIN \(s).ledger_accounts w ON w.user_id = u.id AND w.kind = 'wallet'
            WHERE u.id = $1
            """, [.int(userID)])
        guard let row = result.first else { return nil }
        return try Self.user(row)
    }

    /// Stores a new refresh token (a new family after login).
    public func storeRefreshToken(_ token: NewRefreshToken, userID: Int64) async throws(DatabaseError) {
        let s = self.s
        try await pool.transaction { tx throws(DatabaseError) in
            try await Self.insertRefresh(token, userID: userID, schema: s, tx: tx)
        }
    }

    /// Exchanges the token whose hash is `presentedHash` for `replacement` (same family),
    /// or revokes the family when the token was already used. The row is locked, so two
    /// concurrent refreshes with one token end as one rotation and one reuse detection.
    public func rotateRefreshToken(presentedHash: [UInt8], replacementHash: [UInt8], replacementExpiry: Date,
                                   now: Int64) async throws(DatabaseError) -> RefreshOutcome {
        let s = self.s
        return try await pool.transaction { tx throws(DatabaseError) -> RefreshOutcome in
            let found = try await tx.query("""
                SELECT family_id::text AS family_id, user_id, extract(epoch FROM expires_at)::bigint AS expires_at,
                       used_at IS NOT NULL AS used, revoked_at IS NOT NULL AS revoked
                FROM \(s).refresh_tokens WHERE token_hash = $1 FOR UPDATE
                """, [.bytes(presentedHash)])
            var stored: StoredRefreshToken?
            var userID: Int64 = 0
            if let row = found.first {
                stored = StoredRefreshToken(familyID: try row.string("family_id"), expiresAt: try row.int64("expires_at"),
                                            used: try row.bool("used"), familyRevoked: try row.bool("revoked"))
                userID = try row.int64("user_id")
            }
            switch RefreshDecision.decide(stored: stored, now: now) {
            case .reject(let reason):
                return .rejected(reason: reason)
            case .reuseDetected(let familyID):
                _ = try await tx.query("""
                    UPDATE \(s).refresh_tokens SET revoked_at = now() WHERE family_id = $1::uuid AND revoked_at IS NULL
                    """, [.text(familyID)])
                return .reuseDetected
            case .rotate(let familyID):
                _ = try await tx.query("UPDATE \(s).refresh_tokens SET used_at = now() WHERE token_hash = $1",
                                       [.bytes(presentedHash)])
                try await Self.insertRefresh(NewRefreshToken(hash: replacementHash, familyID: familyID,
                                                             expiresAt: replacementExpiry),
                                             userID: userID, schema: s, tx: tx)
                return .rotated(userID: userID)
            }
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

    private static func user(_ row: PostgresRow) throws(DatabaseError) -> AccountProfile {
        AccountProfile(id: try row.int64("id"), username: try row.string("username"), email: try row.optionalString("email"),
                   createdAt: try row.string("created_at"), balance: try row.int64("balance"))
    }
}
