import Foundation

/// What presenting a refresh token led to.
public enum RefreshRotation: Sendable, Equatable {
    /// The token was valid: it is now used, and the new token (same family) is stored.
    case rotated(userID: Int64, familyID: UUID)
    /// The token had already been used: its whole family is now revoked.
    case reuseDetected(userID: Int64, familyID: UUID)
    /// The token's family was revoked (logout or earlier reuse).
    case revoked
    /// The token expired.
    case expired
    /// No such token.
    case notFound
}

extension TenantStore {
    /// Stores a new refresh token (its hash only) in `familyID`.
    public func storeRefreshToken(tenant schema: TenantSchema, tokenHash: [UInt8], familyID: UUID, userID: Int64,
                                  expiresAt: Date, now: Date = Date()) async throws(DatabaseError) {
        _ = try await forTenant(schema) { () throws(DatabaseError) in
            try await pool.query("""
                INSERT INTO \(schema.quoted).refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)
                VALUES ($1, $2::uuid, $3, $4, $5)
                """, [.bytes(tokenHash), .text(familyID.uuidString), .int(userID), .timestamp(now), .timestamp(expiresAt)])
        }
    }

    /// Exchanges a presented refresh token for a new one in one transaction: valid → marked used
    /// and `newHash` stored in the same family; already used → the whole family is revoked.
    public func rotateRefreshToken(tenant schema: TenantSchema, presentedHash: [UInt8], newHash: [UInt8],
                                   newExpiresAt: Date, now: Date = Date()) async throws(DatabaseError) -> RefreshRotation {
        try await forTenant(schema) { () throws(DatabaseError) in
            try await pool.transaction { tx throws(DatabaseError) in
                let found = try await tx.query("""
                    SELECT family_id, user_id, expires_at, used_at, revoked_at FROM \(schema.quoted).refresh_tokens
                    WHERE token_hash = $1 FOR UPDATE
                    """, [.bytes(presentedHash)])
                guard let row = found.first else { return .notFound }
                let familyText = try row.string("family_id")
                guard let family = UUID(uuidString: familyText) else {
                    throw DatabaseError(.invalidValue, "stored family id is not a UUID: \(familyText)")
                }
                let userID = try row.int64("user_id")
                if try !row.isNull("revoked_at") { return .revoked }
                if try !row.isNull("used_at") {
                    _ = try await tx.query("""
                        UPDATE \(schema.quoted).refresh_tokens SET revoked_at = $2 WHERE family_id = $1::uuid AND revoked_at IS NULL
                        """, [.text(familyText), .timestamp(now)])
                    return .reuseDetected(userID: userID, familyID: family)
                }
                if try row.date("expires_at") <= now { return .expired }
                _ = try await tx.query("UPDATE \(schema.quoted).refresh_tokens SET used_at = $2 WHERE token_hash = $1",
                                       [.bytes(presentedHash), .timestamp(now)])
                _ = try await tx.query("""
                    INSERT INTO \(schema.quoted).refresh_tokens (token_hash, family_id, user_id, issued_at, expires_at)
                    VALUES ($1, $2::uuid, $3, $4, $5)
                    """, [.bytes(newHash), .text(familyText), .int(userID), .timestamp(now), .timestamp(newExpiresAt)])
                return .rotated(userID: userID, familyID: family)
            }
        }
    }

    /// Revokes every token of a family; returns how many were still live.
    @discardableResult
    public func revokeRefreshFamily(tenant schema: TenantSchema, familyID: UUID, now: Date = Date()) async throws(DatabaseError) -> Int {
        try await forTenant(schema) { () throws(DatabaseError) in
            try await pool.query("""
                UPDATE \(schema.quoted).refresh_tokens SET revoked_at = $2 WHERE family_id = $1::uuid AND revoked_at IS NULL
                """, [.text(familyID.uuidString), .timestamp(now)]).affectedRows
        }
    }

    /// Revokes the family of the token with this hash (logout); returns the family, if the token exists.
    @discardableResult
    public func revokeRefreshFamily(tenant schema: TenantSchema, containing tokenHash: [UInt8],
                                    now: Date = Date()) async throws(DatabaseError) -> UUID? {
        try await forTenant(schema) { () throws(DatabaseError) in
            let result = try await pool.query("""
                UPDATE \(schema.quoted).refresh_tokens SET revoked_at = coalesce(revoked_at, $2)
                WHERE family_id = (SELECT family_id FROM \(schema.quoted).refresh_tokens WHERE token_hash = $1)
                RETURNING family_id
                """, [.bytes(tokenHash), .timestamp(now)])
            return try result.first.flatMap { row throws(DatabaseError) in UUID(uuidString: try row.string("family_id")) }
        }
    }

    /// Records an access token id as revoked until it expires anyway.
    public func revokeAccessToken(tenant schema: TenantSchema, jti: String, userID: Int64?, expiresAt: Date) async throws(DatabaseError) {
        _ = try await forTenant(schema) { () throws(DatabaseError) in
            try await pool.query("""
                INSERT INTO \(schema.quoted).revoked_access_tokens (jti, user_id, expires_at) VALUES ($1, $2, $3)
                ON CONFLICT (jti) DO NOTHING
                """, [.text(jti), userID.map { .int($0) } ?? .null, .timestamp(expiresAt)])
        }
    }

    /// Whether an access token id was revoked.
    public func isAccessTokenRevoked(tenant schema: TenantSchema, jti: String) async throws(DatabaseError) -> Bool {
        try await forTenant(schema) { () throws(DatabaseError) in
            !(try await pool.query("SELECT 1 AS one FROM \(schema.quoted).revoked_access_tokens WHERE jti = $1", [.text(jti)]).rows.isEmpty)
        }
    }

    /// Deletes expired revocation records and refresh tokens; returns how many rows went.
    @discardableResult
    public func purgeExpiredTokens(tenant schema: TenantSchema, now: Date = Date()) async throws(DatabaseError) -> Int {
        try await forTenant(schema) { () throws(DatabaseError) in
            let access = try await pool.query("DELETE FROM \(schema.quoted).revoked_access_tokens WHERE expires_at < $1",
                                              [.timestamp(now)]).affectedRows
            let refresh = try await pool.query("DELETE FROM \(schema.quoted).refresh_tokens WHERE expires_at < $1",
                                               [.timestamp(now)]).affectedRows
            return access + refresh
        }
    }
}
