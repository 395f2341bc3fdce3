import FeltStore

/// Stored responses of `Idempotency-Key` requests, per tenant schema and user, in PostgreSQL
/// (so a retry after a restart still replays). Keys live 24 hours.
public struct IdempotencyStore: Sendable {
    /// The tenant's schema.
    public let schema: TenantSchema
    let pool: PostgresPool

    /// A store for `schema`.
    public init(schema: TenantSchema, pool: PostgresPool) {
        self.schema = schema
        self.pool = pool
    }

    /// What `begin` found.
    public enum Begin: Sendable, Equatable {
        /// The key is new: run the request, then `finish` (or `abandon`).
        case started
        /// The key already completed with the same request: answer this.
        case replay(status: Int, body: String)
        /// The key was used for a different request.
        case mismatch
        /// The first request with this key is still running.
        case inProgress
    }

    /// Claims `key` for `user` and the request fingerprint `requestHash`.
    public func begin(user: Int64, key: String, requestHash: String) async throws(DatabaseError) -> Begin {
        let s = schema.quoted
        return try await pool.transaction { tx throws(DatabaseError) -> Begin in
            _ = try await tx.query("""
                DELETE FROM \(s).idempotency_keys WHERE user_id = $1 AND key = $2 AND created_at < now() - interval '24 hours'
                """, [.int(user), .text(key)])
            let inserted = try await tx.query("""
                INSERT INTO \(s).idempotency_keys (user_id, key, request_hash, state) VALUES ($1, $2, $3, 'running')
                ON CONFLICT (user_id, key) DO NOTHING RETURNING key
                """, [.int(user), .text(key), .text(requestHash)])
            if inserted.first != nil { return .started }
            let rows = try await tx.query("""
                SELECT request_hash, state, response_status, response_body FROM \(s).idempotency_keys WHERE user_id = $1 AND key = $2
                """, [.int(user), .text(key)])
            guard let row = rows.first else { return .inProgress }
            guard try row.string("request_hash") == requestHash else { return .mismatch }
            guard try row.string("state") == "done", let status = try row.optionalInt64("response_status") else { return .inProgress }
            return .replay(status: Int(status), body: try row.optionalString("response_body") ?? "")
        }
    }

    /// Stores the final response of a started key.
    public func finish(user: Int64, key: String, status: Int, body: String) async throws(DatabaseError) {
        _ = try await pool.query("""
            UPDATE \(schema.quoted).idempotency_keys SET state = 'done', response_status = $3, response_body = $4
            WHERE user_id = $1 AND key = $2
            """, [.int(user), .text(key), .int(Int64(status)), .text(body)])
    }

    /// Forgets a started key whose request failed without a definite answer (5xx), so a retry runs again.
    public func abandon(user: Int64, key: String) async throws(DatabaseError) {
        _ = try await pool.query("DELETE FROM \(schema.quoted).idempotency_keys WHERE user_id = $1 AND key = $2 AND state = 'running'",
                                 [.int(user), .text(key)])
    }

    /// While serving (hourly): keys older than 24 hours are dropped, finished or not (a key
    /// is honoured for 24 hours only, so these just take space). Returns how many.
    public func purgeExpired() async throws(DatabaseError) -> Int {
        try await pool.query("DELETE FROM \(schema.quoted).idempotency_keys WHERE created_at < now() - interval '24 hours'").affectedRows
    }

    /// Start-up: keys left running by a crashed process (their requests never answered) and
    /// keys older than 24 hours are dropped.
    public func purgeStale() async throws(DatabaseError) {
        _ = try await pool.query("""
            DELETE FROM \(schema.quoted).idempotency_keys WHERE state = 'running' OR created_at < now() - interval '24 hours'
            """)
    }
}
