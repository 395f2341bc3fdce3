import FeltStore

/// Returns every open escrow of a tenant to its owner's wallet.
///
/// Run at start-up before any table opens (after a crash or `kill -9`, the escrows hold the
/// start-of-hand stacks, because hand results are only written when a hand ends: a hand in
/// progress is void) and at shutdown after the tables stopped. One transaction per tenant;
/// escrow rows are locked, so running it twice pays nothing twice.
public enum EscrowRecovery {
    /// What one recovery returned.
    public struct Summary: Sendable, Equatable {
        /// Escrows returned.
        public var escrows: Int
        /// Chips moved back to wallets.
        public var chips: Int64
    }

    /// Moves every positive escrow balance of `schema` (of one table when `tableID` is given)
    /// back to the owner's wallet.
    public static func returnOpenEscrows(schema: TenantSchema, pool: PostgresPool,
                                         tableID: String? = nil) async throws(DatabaseError) -> Summary {
        let store = TenantStore(pool: pool)
        return try await pool.transaction { tx throws(DatabaseError) -> Summary in
            let rows = try await tx.query("""
                SELECT e.id AS escrow, e.table_id, e.balance, w.id AS wallet
                FROM \(schema.quoted).ledger_accounts e
                JOIN \(schema.quoted).ledger_accounts w ON w.kind = 'wallet' AND w.user_id = e.user_id
                WHERE e.kind = 'escrow' AND e.balance > 0 AND ($1::text IS NULL OR e.table_id = $1)
                ORDER BY e.id
                FOR UPDATE OF e
                """, [tableID.map { .text($0) } ?? .null])
            var summary = Summary(escrows: 0, chips: 0)
            for row in rows.rows {
                let escrow = try row.int64("escrow")
                let amount = try row.int64("balance")
                let wallet = try row.int64("wallet")
                let table = try row.string("table_id")
                _ = try await store.postEntry(tenant: schema, kind: "escrow_return", reference: "table:\(table)",
                                              postings: [Posting(account: escrow, amount: -amount),
                                                         Posting(account: wallet, amount: amount)], in: tx)
                summary.escrows += 1
                summary.chips += amount
            }
            return summary
        }
    }
}
