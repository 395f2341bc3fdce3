import Foundation

/// A registered player of one tenant.
public struct UserRecord: Sendable, Equatable {
    /// Database id (unique within the tenant).
    public let id: Int64
    /// The username as registered.
    public let username: String
    /// Optional e-mail address.
    public let email: String?
    /// The stored password hash (format owned by FeltAuth).
    public let passwordHash: String
    /// Registration time.
    public let createdAt: Date
    /// The user's wallet ledger account.
    public let walletAccountID: Int64
    /// The wallet's balance when the record was read (one indexed query serves `/api/auth/me`).
    public let walletBalance: Int64
}

extension TenantStore {
    private static func userColumns(_ schema: TenantSchema) -> String {
        """
        SELECT u.id, u.username, u.email, u.password_hash, u.created_at, w.id AS wallet_id, w.balance AS wallet_balance
        FROM \(schema.quoted).users u JOIN \(schema.quoted).ledger_accounts w ON w.user_id = u.id AND w.kind = 'wallet'
        """
    }

    private static func user(_ row: PostgresRow) throws(DatabaseError) -> UserRecord {
        UserRecord(id: try row.int64("id"), username: try row.string("username"), email: try row.optionalString("email"),
                   passwordHash: try row.string("password_hash"), createdAt: try row.date("created_at"),
                   walletAccountID: try row.int64("wallet_id"), walletBalance: try row.int64("wallet_balance"))
    }

    /// Registers a user with a wallet credited with `startingBalance` (an issuance journal entry),
    /// all in one transaction. A username already taken (case-insensitively) throws `username_taken`.
    public func createUser(tenant schema: TenantSchema, username: String, email: String?, passwordHash: String,
                           startingBalance: Int64) async throws(DatabaseError) -> UserRecord {
        guard startingBalance >= 0 else { throw DatabaseError(.invalidValue, "a starting balance cannot be negative") }
        return try await forTenant(schema) { () throws(DatabaseError) in
            try await pool.transaction { tx throws(DatabaseError) in
                let inserted: QueryResult
                do throws(DatabaseError) {
                    inserted = try await tx.query("""
                        INSERT INTO \(schema.quoted).users (username, username_lower, email, password_hash)
                        VALUES ($1, lower($1), $2, $3) RETURNING id, username, email, password_hash, created_at
                        """, [.text(username), email.map { .text($0) } ?? .null, .text(passwordHash)])
                } catch where error.code == .uniqueViolation {
                    throw DatabaseError(.usernameTaken, "the username \(username) is taken", sqlState: error.sqlState,
                                        constraint: error.constraint)
                }
                guard let row = inserted.first else { throw DatabaseError(.queryFailed, "INSERT returned no row") }
                let userID = try row.int64("id")
                let wallet = try await tx.query("""
                    INSERT INTO \(schema.quoted).ledger_accounts (kind, user_id) VALUES ('wallet', $1) RETURNING id
                    """, [.int(userID)])
                guard let walletID = try wallet.first?.int64("id") else { throw DatabaseError(.queryFailed, "no wallet id") }
                if startingBalance > 0 {
                    let issuance = try await systemAccount(.issuance, tenant: schema, in: tx)
                    _ = try await postEntry(tenant: schema, kind: "starting_balance", reference: "user:\(userID)",
                                            postings: [Posting(account: issuance, amount: -startingBalance),
                                                       Posting(account: walletID, amount: startingBalance)],
                                            in: tx)
                }
                return UserRecord(id: userID, username: try row.string("username"), email: try row.optionalString("email"),
                                  passwordHash: try row.string("password_hash"), createdAt: try row.date("created_at"),
                                  walletAccountID: walletID, walletBalance: startingBalance)
            }
        }
    }

    /// The user with this username, compared case-insensitively.
    public func findUser(tenant schema: TenantSchema, username: String) async throws(DatabaseError) -> UserRecord? {
        try await forTenant(schema) { () throws(DatabaseError) in
            let result = try await pool.query(Self.userColumns(schema) + " WHERE u.username_lower = lower($1)", [.text(username)])
            return try result.first.map { row throws(DatabaseError) in try Self.user(row) }
        }
    }

    /// The user with this id.
    public func findUser(tenant schema: TenantSchema, id: Int64) async throws(DatabaseError) -> UserRecord? {
        try await forTenant(schema) { () throws(DatabaseError) in
            let result = try await pool.query(Self.userColumns(schema) + " WHERE u.id = $1", [.int(id)])
            return try result.first.map { row throws(DatabaseError) in try Self.user(row) }
        }
    }
}
