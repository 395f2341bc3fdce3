import FeltStore
import Foundation

/// One line of a user's wallet statement (`GET /api/wallet/ledger`).
public struct WalletEntry: Sendable, Equatable, Encodable {
    /// Journal entry id (also the cursor).
    public var id: Int64
    /// `starting_balance`, `buy_in`, `cash_out`, `escrow_return`, …
    public var kind: String
    /// Signed change of the wallet.
    public var amount: Int64
    /// The table, for table movements.
    public var tableID: String?
    /// ISO-8601 time.
    public var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, kind, amount
        case tableID = "table_id"
        case createdAt = "created_at"
    }
}

/// Reads of a user's wallet.
public enum WalletQueries {
    /// The wallet balance, or nil when the user has none.
    public static func balance(schema: TenantSchema, pool: PostgresPool, user: Int64) async throws(DatabaseError) -> Int64? {
        let rows = try await pool.query("""
            SELECT balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1
            """, [.int(user)])
        return try rows.first?.int64("balance")
    }

    /// The user's wallet entries, newest first, with ids below `before` (the cursor), at most `limit`.
    public static func entries(schema: TenantSchema, pool: PostgresPool, user: Int64, before: Int64?,
                               limit: Int) async throws(DatabaseError) -> [WalletEntry] {
        let rows = try await pool.query("""
            SELECT j.id, j.kind, j.reference, p.amount,
                   to_char(j.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS created
            FROM \(schema.quoted).ledger_accounts w
            JOIN \(schema.quoted).postings p ON p.account_id = w.id
            JOIN \(schema.quoted).journal_entries j ON j.id = p.entry_id
            WHERE w.kind = 'wallet' AND w.user_id = $1 AND ($2::bigint IS NULL OR j.id < $2)
            ORDER BY j.id DESC
            LIMIT $3
            """, [.int(user), before.map { .int($0) } ?? .null, .int(Int64(limit))])
        return try rows.rows.map { row throws(DatabaseError) in
            let reference = try row.optionalString("reference")
            return WalletEntry(id: try row.int64("id"), kind: try row.string("kind"), amount: try row.int64("amount"),
                               tableID: reference.flatMap(tableID(fromReference:)), createdAt: try row.string("created"))
        }
    }

    /// `table:ID` or `table:ID#N` or `table:ID:reason` → ID.
    static func tableID(fromReference reference: String) -> String? {
        guard reference.hasPrefix("table:") else { return nil }
        let rest = reference.dropFirst(6)
        let end = rest.firstIndex { $0 == "#" || $0 == ":" } ?? rest.endIndex
        return String(rest[..<end])
    }
}
