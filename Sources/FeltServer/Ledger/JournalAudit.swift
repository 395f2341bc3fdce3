import FeltStore

/// The checks of `felt audit` over one tenant's journal.
public struct JournalAudit: Sendable, Equatable {
    /// The tenant.
    public var tenantID: String
    /// Journal entries.
    public var entries: Int64
    /// Sum of every balance (0 when nothing was created or lost).
    public var balanceSum: Int64
    /// Chips in wallets, in escrows, in the house, and issued.
    public var wallets: Int64
    public var escrows: Int64
    public var house: Int64
    public var issued: Int64
    /// Every violation found, one line each.
    public var violations: [String]
    /// Escrows holding chips (table, user id, amount).
    public var openEscrows: [(table: String, user: Int64, amount: Int64)]

    public static func == (a: JournalAudit, b: JournalAudit) -> Bool {
        a.tenantID == b.tenantID && a.entries == b.entries && a.balanceSum == b.balanceSum && a.violations == b.violations
            && a.openEscrows.map { "\($0.table)/\($0.user)/\($0.amount)" } == b.openEscrows.map { "\($0.table)/\($0.user)/\($0.amount)" }
    }

    /// Runs every check of `schema`: each entry balances, the balances sum to zero and equal
    /// their postings, nothing but issuance is negative. Open escrows are listed; they are
    /// violations only when `escrowsMustBeEmpty` (the server is stopped and shut down cleanly).
    public static func run(schema: TenantSchema, pool: PostgresPool, escrowsMustBeEmpty: Bool) async throws(DatabaseError) -> JournalAudit {
        let s = schema.quoted
        let store = TenantStore(pool: pool)
        let base = try await store.ledgerAudit(tenant: schema)
        var audit = JournalAudit(tenantID: schema.tenantID, entries: 0, balanceSum: base.balanceSum, wallets: 0, escrows: 0,
                                 house: 0, issued: 0, violations: [], openEscrows: [])
        if base.balanceSum != 0 { audit.violations.append("balances sum to \(base.balanceSum), not 0") }
        if base.postingSum != 0 { audit.violations.append("postings sum to \(base.postingSum), not 0") }
        let totals = try await pool.query("""
            SELECT (SELECT count(*) FROM \(s).journal_entries)::int8 AS entries,
                   coalesce(sum(balance) FILTER (WHERE kind = 'wallet'), 0)::int8 AS wallets,
                   coalesce(sum(balance) FILTER (WHERE kind = 'escrow'), 0)::int8 AS escrows,
                   coalesce(sum(balance) FILTER (WHERE kind = 'house'), 0)::int8 AS house,
                   coalesce(sum(balance) FILTER (WHERE kind = 'issuance'), 0)::int8 AS issued
            FROM \(s).ledger_accounts
            """)
        if let row = totals.first {
            audit.entries = try row.int64("entries")
            audit.wallets = try row.int64("wallets")
            audit.escrows = try row.int64("escrows")
            audit.house = try row.int64("house")
            audit.issued = -(try row.int64("issued"))
        }
        let unbalanced = try await pool.query("""
            SELECT e.id, coalesce(sum(p.amount), 0)::int8 AS total, count(p.id)::int8 AS legs
            FROM \(s).journal_entries e LEFT JOIN \(s).postings p ON p.entry_id = e.id
            GROUP BY e.id HAVING coalesce(sum(p.amount), 0) <> 0 OR count(p.id) = 0 ORDER BY e.id
            """)
        for row in unbalanced.rows {
            let legs = try row.int64("legs")
            audit.violations.append(legs == 0 ? "journal entry \(try row.int64("id")) has no postings"
                                    : "journal entry \(try row.int64("id")) does not balance: postings sum to \(try row.int64("total"))")
        }
        let mismatched = try await pool.query("""
            SELECT a.id, a.kind, a.balance, coalesce((SELECT sum(amount) FROM \(s).postings p WHERE p.account_id = a.id), 0)::int8 AS posted
            FROM \(s).ledger_accounts a
            WHERE a.balance <> coalesce((SELECT sum(amount) FROM \(s).postings p WHERE p.account_id = a.id), 0)
            ORDER BY a.id
            """)
        for row in mismatched.rows {
            audit.violations.append("account \(try row.int64("id")) (\(try row.string("kind"))) has balance \(try row.int64("balance")) but postings sum to \(try row.int64("posted"))")
        }
        let negative = try await pool.query("""
            SELECT id, kind, balance FROM \(s).ledger_accounts WHERE kind <> 'issuance' AND balance < 0 ORDER BY id
            """)
        for row in negative.rows {
            audit.violations.append("account \(try row.int64("id")) (\(try row.string("kind"))) is negative: \(try row.int64("balance"))")
        }
        let escrows = try await pool.query("""
            SELECT table_id, user_id, balance FROM \(s).ledger_accounts WHERE kind = 'escrow' AND balance <> 0 ORDER BY table_id, user_id
            """)
        for row in escrows.rows {
            let entry = (table: try row.string("table_id"), user: try row.int64("user_id"), amount: try row.int64("balance"))
            audit.openEscrows.append(entry)
            if escrowsMustBeEmpty {
                audit.violations.append("escrow of user \(entry.user) at table \(entry.table) still holds \(entry.amount) with the server stopped")
            }
        }
        return audit
    }
}
