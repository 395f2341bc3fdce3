/// One leg of a journal entry: `amount` chips into (positive) or out of (negative) an account.
public struct Posting: Sendable, Equatable {
    /// The ledger account id.
    public let account: Int64
    /// Signed amount; never zero.
    public let amount: Int64

    /// A posting.
    public init(account: Int64, amount: Int64) {
        self.account = account
        self.amount = amount
    }
}

/// Kinds of ledger accounts.
public enum LedgerAccountKind: String, Sendable {
    /// A player's wallet (one per user).
    case wallet
    /// Chips at a table (per table and player).
    case escrow
    /// The club's rake.
    case house
    /// Where chips come from (the only account allowed below zero).
    case issuance
}

/// The outcome of `postEntry`.
public enum PostedEntry: Sendable, Equatable {
    /// A new journal entry with this id.
    case posted(Int64)
    /// An entry with the same idempotency key already existed; nothing new was written.
    case replayed(Int64)

    /// The entry id either way.
    public var entryID: Int64 {
        switch self {
        case .posted(let id), .replayed(let id): return id
        }
    }
}

extension TenantStore {
    /// Writes a balanced journal entry and moves the balances, in one transaction.
    ///
    /// Postings must be non-empty, non-zero and sum to zero (`unbalanced_entry`); a posting
    /// that would take a non-issuance account below zero is rejected by the database's CHECK
    /// constraint and reported as `insufficient_funds`; nothing is written then. The entry and
    /// its postings are one statement, so this is one round trip (its own transaction).
    public func postEntry(tenant schema: TenantSchema, kind: String, reference: String? = nil,
                          idempotencyKey: String? = nil, postings: [Posting]) async throws(DatabaseError) -> PostedEntry {
        try await forTenant(schema) { () throws(DatabaseError) in
            try await postEntry(tenant: schema, kind: kind, reference: reference, idempotencyKey: idempotencyKey,
                                postings: postings) { sql, parameters throws(DatabaseError) in
                try await pool.query(sql, parameters)
            }
        }
    }

    /// `postEntry` inside a caller's transaction, so a movement can commit together with other writes.
    public func postEntry(tenant schema: TenantSchema, kind: String, reference: String? = nil,
                          idempotencyKey: String? = nil, postings: [Posting],
                          in tx: PostgresTransaction) async throws(DatabaseError) -> PostedEntry {
        try await postEntry(tenant: schema, kind: kind, reference: reference, idempotencyKey: idempotencyKey,
                            postings: postings) { sql, parameters throws(DatabaseError) in
            try await tx.query(sql, parameters)
        }
    }

    private func postEntry(tenant schema: TenantSchema, kind: String, reference: String?, idempotencyKey: String?,
                           postings: [Posting],
                           run: (String, [PostgresValue]) async throws(DatabaseError) -> QueryResult) async throws(DatabaseError) -> PostedEntry {
        guard !postings.isEmpty, postings.allSatisfy({ $0.amount != 0 }) else {
            throw DatabaseError(.unbalancedEntry, "a journal entry needs postings with non-zero amounts")
        }
        var sum: Int64 = 0
        for posting in postings {
            let (next, overflow) = sum.addingReportingOverflow(posting.amount)
            guard !overflow else { throw DatabaseError(.unbalancedEntry, "posting amounts overflow") }
            sum = next
        }
        guard sum == 0 else { throw DatabaseError(.unbalancedEntry, "postings sum to \(sum), not zero") }

        // Sorted by account so concurrent entries lock balances in one order (no deadlocks).
        let ordered = postings.sorted { $0.account < $1.account }
        let entry: QueryResult
        do throws(DatabaseError) {
            // The entry and its postings in one statement; when the idempotency key exists
            // already, `entry` is empty and so no posting is written.
            entry = try await run("""
                WITH entry AS (
                    INSERT INTO \(schema.quoted).journal_entries (kind, reference, idempotency_key) VALUES ($1, $2, $3)
                    ON CONFLICT (idempotency_key) DO NOTHING RETURNING id
                ), posted AS (
                    INSERT INTO \(schema.quoted).postings (entry_id, account_id, amount)
                    SELECT entry.id, p.account_id, p.amount
                    FROM entry, unnest($4::bigint[], $5::bigint[]) WITH ORDINALITY AS p(account_id, amount, n)
                    ORDER BY p.n
                )
                SELECT id FROM entry
                """, [.text(kind), reference.map { .text($0) } ?? .null, idempotencyKey.map { .text($0) } ?? .null,
                      .text(PostgresArray.numbers(ordered.map { String($0.account) })),
                      .text(PostgresArray.numbers(ordered.map { String($0.amount) }))])
        } catch where error.constraint == "ledger_accounts_balance_nonnegative" {
            throw DatabaseError(.insufficientFunds, "insufficient funds", sqlState: error.sqlState, constraint: error.constraint)
        } catch where error.sqlState == "23503" {
            throw DatabaseError(.notFound, "a posting names a ledger account that does not exist", sqlState: error.sqlState,
                                constraint: error.constraint)
        }
        if let entryID = try entry.first?.int64("id") { return .posted(entryID) }
        let existing = try await run("SELECT id FROM \(schema.quoted).journal_entries WHERE idempotency_key = $1",
                                     [idempotencyKey.map { .text($0) } ?? .null])
        guard let id = try existing.first?.int64("id") else { throw DatabaseError(.queryFailed, "journal entry not written") }
        return .replayed(id)
    }

    /// The id of the tenant's `house` or `issuance` account.
    public func systemAccount(_ kind: LedgerAccountKind, tenant schema: TenantSchema,
                              in tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        let result = try await tx.query("SELECT id FROM \(schema.quoted).ledger_accounts WHERE kind = $1", [.text(kind.rawValue)])
        guard let id = try result.first?.int64("id") else {
            throw DatabaseError(.notFound, "tenant \(schema.tenantID) has no \(kind.rawValue) account")
        }
        return id
    }

    /// The escrow account of `userID` at `tableID`, created on first use.
    public func escrowAccount(tenant schema: TenantSchema, tableID: String, userID: Int64,
                              in tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        let created = try await tx.query("""
            INSERT INTO \(schema.quoted).ledger_accounts (kind, table_id, user_id) VALUES ('escrow', $1, $2)
            ON CONFLICT (table_id, coalesce(user_id, 0)) WHERE kind = 'escrow' DO NOTHING RETURNING id
            """, [.text(tableID), .int(userID)])
        if let id = try created.first?.int64("id") { return id }
        let existing = try await tx.query("""
            SELECT id FROM \(schema.quoted).ledger_accounts WHERE kind = 'escrow' AND table_id = $1 AND coalesce(user_id, 0) = $2
            """, [.text(tableID), .int(userID)])
        guard let id = try existing.first?.int64("id") else { throw DatabaseError(.notFound, "escrow account not found") }
        return id
    }

    /// Locks a user's wallet row until the transaction ends (`SELECT … FOR UPDATE`) and returns
    /// its account id and balance: concurrent money movements of one player run one at a time.
    public func lockWallet(tenant schema: TenantSchema, userID: Int64,
                           in tx: PostgresTransaction) async throws(DatabaseError) -> (account: Int64, balance: Int64) {
        let result = try await tx.query("""
            SELECT id, balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1 FOR UPDATE
            """, [.int(userID)])
        guard let row = result.first else { throw DatabaseError(.notFound, "user \(userID) has no wallet") }
        return (try row.int64("id"), try row.int64("balance"))
    }

    /// The balance of one ledger account, read inside a transaction.
    public func balance(tenant schema: TenantSchema, account: Int64,
                        in tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        let result = try await tx.query("SELECT balance FROM \(schema.quoted).ledger_accounts WHERE id = $1", [.int(account)])
        guard let balance = try result.first?.int64("balance") else {
            throw DatabaseError(.notFound, "ledger account \(account) does not exist")
        }
        return balance
    }

    /// The balance of one ledger account.
    public func balance(tenant schema: TenantSchema, account: Int64) async throws(DatabaseError) -> Int64 {
        try await forTenant(schema) { () throws(DatabaseError) in
            let result = try await pool.query("SELECT balance FROM \(schema.quoted).ledger_accounts WHERE id = $1", [.int(account)])
            guard let balance = try result.first?.int64("balance") else {
                throw DatabaseError(.notFound, "ledger account \(account) does not exist")
            }
            return balance
        }
    }

    /// The balance of a user's wallet.
    public func walletBalance(tenant schema: TenantSchema, userID: Int64) async throws(DatabaseError) -> Int64 {
        try await forTenant(schema) { () throws(DatabaseError) in
            let result = try await pool.query("""
                SELECT balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1
                """, [.int(userID)])
            guard let balance = try result.first?.int64("balance") else {
                throw DatabaseError(.notFound, "user \(userID) has no wallet")
            }
            return balance
        }
    }

    /// Ledger invariants of a tenant: the sum of all balances (must be 0), the sum of all
    /// postings (must be 0), and whether every balance equals the sum of its postings.
    public func ledgerAudit(tenant schema: TenantSchema) async throws(DatabaseError) -> LedgerAudit {
        try await forTenant(schema) { () throws(DatabaseError) in
            let row = try await pool.query("""
                SELECT (SELECT coalesce(sum(balance), 0) FROM \(schema.quoted).ledger_accounts)::int8 AS balances,
                       (SELECT coalesce(sum(amount), 0) FROM \(schema.quoted).postings)::int8 AS postings,
                       (SELECT count(*) FROM \(schema.quoted).ledger_accounts a
                         WHERE a.balance <> (SELECT coalesce(sum(amount), 0) FROM \(schema.quoted).postings p WHERE p.account_id = a.id))::int8
                         AS mismatched,
                       (SELECT count(*) FROM \(schema.quoted).ledger_accounts WHERE kind <> 'issuance' AND balance < 0)::int8 AS negative
                """).first
            guard let row else { throw DatabaseError(.queryFailed, "audit returned no row") }
            return LedgerAudit(balanceSum: try row.int64("balances"), postingSum: try row.int64("postings"),
                               mismatchedAccounts: try row.int64("mismatched"), negativeAccounts: try row.int64("negative"))
        }
    }
}

/// Result of `ledgerAudit`; `isConsistent` when money was neither created nor lost.
public struct LedgerAudit: Sendable, Equatable {
    /// Sum of all account balances (issuance is negative by what was issued).
    public let balanceSum: Int64
    /// Sum of all postings.
    public let postingSum: Int64
    /// Accounts whose balance differs from the sum of their postings.
    public let mismatchedAccounts: Int64
    /// Non-issuance accounts below zero.
    public let negativeAccounts: Int64

    /// All invariants hold.
    public var isConsistent: Bool { balanceSum == 0 && postingSum == 0 && mismatchedAccounts == 0 && negativeAccounts == 0 }
}
