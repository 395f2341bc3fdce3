import FeltStore
import FeltTables
import Foundation
import PokerEngine
import Synchronization

/// `TableLedger` over one tenant's double-entry journal in PostgreSQL.
///
/// * `buyIn`: wallet → (table, user) escrow. The wallet row is locked, its balance checked
///   and debited in one transaction; the database CHECK keeps balances from going negative
///   even if the check were skipped. A short wallet throws `TableError.insufficientChips`.
/// * `recordHand`: escrow ↔ escrow for the results, escrow → house for the rake, and the
///   hand record with its participants: one statement, so one transaction and one round
///   trip (`TenantStore.recordHands`), shared with other tables' hands by group commit.
/// * `cashOut`: escrow → wallet with the actual stack.
///
/// Account ids are cached once known; with both ids cached, a buy-in or cash-out is a single
/// statement (entry and postings) in its own transaction: one round trip.
///
/// Every movement is one journal entry whose postings sum to zero.
public final class PostgresTableLedger: TableLedger, Sendable {
    /// The tenant's schema.
    public let schema: TenantSchema
    let pool: PostgresPool
    let store: TenantStore
    /// Account ids never change once created; cached to save a round trip per movement.
    private let escrows = Mutex<[EscrowKey: Int64]>([:])
    private let wallets = Mutex<[Int64: Int64]>([:])

    struct EscrowKey: Hashable { let table: String; let user: Int64 }

    /// Group commit of finished hands (nil: each hand is written by its own statement).
    let writer: HandWriter?

    /// A ledger for `schema` over `pool`. With `groupCommit`, hands that finish while another
    /// write is in flight are committed together (see `HandWriter`); each hand is always one
    /// statement with its record either way.
    public init(schema: TenantSchema, pool: PostgresPool, groupCommit: Bool = true) {
        self.schema = schema
        self.pool = pool
        self.store = TenantStore(pool: pool)
        self.writer = groupCommit ? HandWriter(schema: schema, store: store) : nil
    }

    // MARK: TableLedger

    public func buyIn(tableID: String, user: UserID, amount: Int) async throws {
        if let escrow = cachedEscrow(table: tableID, user: user.rawValue), let wallet = cachedWallet(user: user.rawValue) {
            // Both accounts known: the entry alone is one statement (its own transaction); the
            // database's CHECK refuses a wallet going below zero, and only then is the balance read.
            do throws(DatabaseError) {
                try await move(kind: "buy_in", reference: "table:\(tableID)", amount: amount, from: wallet, to: escrow)
                return
            } catch where error.code == .insufficientFunds {
                let have = try await store.balance(tenant: schema, account: wallet)
                throw TableError.insufficientChips(need: amount, have: Int(have))
            } catch {
                dropCachedAccounts()
                throw error
            }
        }
        let outcome = try await transaction { tx throws(DatabaseError) -> BuyInOutcome in
            let rows = try await tx.query("""
                SELECT id, balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1 FOR UPDATE
                """, [.int(user.rawValue)])
            guard let row = rows.first else { return .noWallet }
            let wallet = try row.int64("id")
            let balance = try row.int64("balance")
            wallets.withLock { $0[user.rawValue] = wallet }
            guard balance >= Int64(amount) else { return .short(have: balance) }
            let escrow = try await escrowAccount(table: tableID, user: user.rawValue, tx)
            do throws(DatabaseError) {
                try await move(kind: "buy_in", reference: "table:\(tableID)", amount: amount, from: wallet, to: escrow, in: tx)
            } catch where error.code == .insufficientFunds {
                return .short(have: balance)
            }
            return .moved
        }
        switch outcome {
        case .moved: return
        case .short(let have): throw TableError.insufficientChips(need: amount, have: Int(have))
        case .noWallet: throw TableError.insufficientChips(need: amount, have: 0)
        }
    }

    enum BuyInOutcome { case moved, short(have: Int64), noWallet }

    public func recordHand(_ result: HandResult) async throws {
        let hand = try Self.handWrite(result)
        if let writer {
            _ = try await writer.write(hand)
        } else {
            _ = try await store.recordHands(tenant: schema, [hand])
        }
    }

    /// The store's form of a finished hand.
    static func handWrite(_ result: HandResult) throws -> HandWrite {
        HandWrite(tableID: result.tableID, handNumber: result.handNumber, rake: Int64(result.rake),
                  record: try encodeRecord(result.record), startedAt: result.startedAt, finishedAt: result.finishedAt,
                  participants: result.players.map {
                      HandWrite.Participant(userID: $0.user.rawValue, seat: $0.seat, username: $0.username,
                                            startingStack: Int64($0.startingStack), finalStack: Int64($0.finalStack))
                  })
    }

    /// Moves a leaving player's chips from escrow to wallet; a write that never reached the
    /// database is tried again for a while (``UnsentRetry``) rather than failing the table.
    public func cashOut(_ cashOut: CashOut) async throws {
        guard cashOut.amount > 0 else { return }
        try await UnsentRetry.run { () async throws(DatabaseError) in try await cashOutOnce(cashOut) }
    }

    private func cashOutOnce(_ cashOut: CashOut) async throws(DatabaseError) {
        let user = cashOut.user.rawValue
        let reference = "table:\(cashOut.tableID):\(cashOut.reason.rawValue)"
        if let escrow = cachedEscrow(table: cashOut.tableID, user: user), let wallet = cachedWallet(user: user) {
            // Both accounts known: one statement, its own transaction.
            do throws(DatabaseError) {
                try await move(kind: "cash_out", reference: reference, amount: cashOut.amount, from: escrow, to: wallet)
                return
            } catch {
                dropCachedAccounts()
                throw error
            }
        }
        try await transaction { tx throws(DatabaseError) in
            let escrow = try await escrowAccount(table: cashOut.tableID, user: user, tx)
            let wallet = try await walletAccount(user: user, tx)
            try await move(kind: "cash_out", reference: reference, amount: cashOut.amount, from: escrow, to: wallet, in: tx)
        }
    }

    /// Posts one entry moving `amount` chips from account `from` to account `to`: in `tx`
    /// when given, else as one statement in its own transaction.
    private func move(kind: String, reference: String, amount: Int, from: Int64, to: Int64,
                      in tx: PostgresTransaction? = nil) async throws(DatabaseError) {
        let postings = [Posting(account: from, amount: -Int64(amount)), Posting(account: to, amount: Int64(amount))]
        if let tx {
            _ = try await store.postEntry(tenant: schema, kind: kind, reference: reference, postings: postings, in: tx)
        } else {
            _ = try await store.postEntry(tenant: schema, kind: kind, reference: reference, postings: postings)
        }
    }

    // MARK: Accounts

    /// A transaction; when it fails, the account-id caches are dropped (an id cached inside
    /// a rolled-back transaction may name a row that was never committed).
    func transaction<T>(_ body: (PostgresTransaction) async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        do {
            return try await pool.transaction(body)
        } catch {
            dropCachedAccounts()
            throw error
        }
    }

    func dropCachedAccounts() {
        escrows.withLock { $0 = [:] }
        wallets.withLock { $0 = [:] }
    }

    func cachedEscrow(table: String, user: Int64) -> Int64? {
        escrows.withLock { $0[EscrowKey(table: table, user: user)] }
    }

    func cachedWallet(user: Int64) -> Int64? {
        wallets.withLock { $0[user] }
    }

    func escrowAccount(table: String, user: Int64, _ tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        let key = EscrowKey(table: table, user: user)
        if let id = cachedEscrow(table: table, user: user) { return id }
        let id = try await store.escrowAccount(tenant: schema, tableID: table, userID: user, in: tx)
        escrows.withLock { $0[key] = id }
        return id
    }

    func walletAccount(user: Int64, _ tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        if let id = cachedWallet(user: user) { return id }
        let rows = try await tx.query("SELECT id FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1",
                                      [.int(user)])
        guard let id = try rows.first?.int64("id") else { throw DatabaseError(.notFound, "user \(user) has no wallet") }
        wallets.withLock { $0[user] = id }
        return id
    }

    // MARK: Encoding

    static func encodeRecord(_ record: HandRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }
}
