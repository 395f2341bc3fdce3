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
///   hand record with its participants: one transaction.
/// * `cashOut`: escrow → wallet with the actual stack.
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
    private let house = Mutex<Int64?>(nil)

    struct EscrowKey: Hashable { let table: String; let user: Int64 }

    /// A ledger for `schema` over `pool`.
    public init(schema: TenantSchema, pool: PostgresPool) {
        self.schema = schema
        self.pool = pool
        self.store = TenantStore(pool: pool)
    }

    // MARK: TableLedger

    public func buyIn(tableID: String, user: UserID, amount: Int) async throws {
        let outcome = try await transaction { tx throws(DatabaseError) -> BuyInOutcome in
            let rows = try await tx.query("""
                SELECT id, balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1 FOR UPDATE
                """, [.int(user.rawValue)])
            guard let row = rows.first else { return .noWallet }
            let wallet = try row.int64("id")
            let balance = try row.int64("balance")
            guard balance >= Int64(amount) else { return .short(have: balance) }
            let escrow = try await escrowAccount(table: tableID, user: user.rawValue, tx)
            do throws(DatabaseError) {
                _ = try await store.postEntry(tenant: schema, kind: "buy_in", reference: "table:\(tableID)",
                                              postings: [Posting(account: wallet, amount: -Int64(amount)),
                                                         Posting(account: escrow, amount: Int64(amount))], in: tx)
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
        let recordText = try Self.encodeRecord(result.record)
        try await transaction { tx throws(DatabaseError) in
            var postings: [Posting] = []
            for player in result.players where player.delta != 0 {
                let escrow = try await escrowAccount(table: result.tableID, user: player.user.rawValue, tx)
                postings.append(Posting(account: escrow, amount: Int64(player.delta)))
            }
            if result.rake > 0 {
                postings.append(Posting(account: try await houseAccount(tx), amount: Int64(result.rake)))
            }
            var entryID: Int64?
            if !postings.isEmpty {
                entryID = try await store.postEntry(tenant: schema, kind: "hand", reference: "table:\(result.tableID)#\(result.handNumber)",
                                                    postings: postings, in: tx).entryID
            }
            let hand = try await tx.query("""
                INSERT INTO \(schema.quoted).hand_records (table_id, hand_number, rake, record, entry_id, started_at, finished_at)
                VALUES ($1, $2, $3, $4, $5, to_timestamp($6::float8 / 1000), to_timestamp($7::float8 / 1000)) RETURNING id
                """, [.text(result.tableID), .int(Int64(result.handNumber)), .int(Int64(result.rake)), .text(recordText),
                      entryID.map { .int($0) } ?? .null, .int(result.startedAt), .int(result.finishedAt)])
            guard let handID = try hand.first?.int64("id") else { throw DatabaseError(.queryFailed, "hand record insert returned no row") }
            let players = result.players
            _ = try await tx.query("""
                INSERT INTO \(schema.quoted).hand_participants (hand_id, user_id, seat, username, starting_stack, final_stack)
                SELECT $1, p.u, p.s, p.n, p.a, p.b
                FROM unnest($2::bigint[], $3::int[], $4::text[], $5::bigint[], $6::bigint[]) AS p(u, s, n, a, b)
                ON CONFLICT DO NOTHING
                """, [.int(handID), .text(Self.array(players.map { String($0.user.rawValue) })),
                      .text(Self.array(players.map { String($0.seat) })),
                      .text(Self.textArray(players.map(\.username))),
                      .text(Self.array(players.map { String($0.startingStack) })),
                      .text(Self.array(players.map { String($0.finalStack) }))])
        }
    }

    public func cashOut(_ cashOut: CashOut) async throws {
        guard cashOut.amount > 0 else { return }
        let user = cashOut.user.rawValue
        try await transaction { tx throws(DatabaseError) in
            let escrow = try await escrowAccount(table: cashOut.tableID, user: user, tx)
            let wallet = try await walletAccount(user: user, tx)
            _ = try await store.postEntry(tenant: schema, kind: "cash_out", reference: "table:\(cashOut.tableID):\(cashOut.reason.rawValue)",
                                          postings: [Posting(account: escrow, amount: -Int64(cashOut.amount)),
                                                     Posting(account: wallet, amount: Int64(cashOut.amount))], in: tx)
        }
    }

    // MARK: Accounts

    /// A transaction; when it fails, the account-id caches are dropped (an id cached inside
    /// a rolled-back transaction may name a row that was never committed).
    func transaction<T>(_ body: (PostgresTransaction) async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        do {
            return try await pool.transaction(body)
        } catch {
            escrows.withLock { $0 = [:] }
            wallets.withLock { $0 = [:] }
            house.withLock { $0 = nil }
            throw error
        }
    }

    func escrowAccount(table: String, user: Int64, _ tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        let key = EscrowKey(table: table, user: user)
        if let id = escrows.withLock({ $0[key] }) { return id }
        let id = try await store.escrowAccount(tenant: schema, tableID: table, userID: user, in: tx)
        escrows.withLock { $0[key] = id }
        return id
    }

    func walletAccount(user: Int64, _ tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        if let id = wallets.withLock({ $0[user] }) { return id }
        let rows = try await tx.query("SELECT id FROM \(schema.quoted).ledger_accounts WHERE kind = 'wallet' AND user_id = $1",
                                      [.int(user)])
        guard let id = try rows.first?.int64("id") else { throw DatabaseError(.notFound, "user \(user) has no wallet") }
        wallets.withLock { $0[user] = id }
        return id
    }

    func houseAccount(_ tx: PostgresTransaction) async throws(DatabaseError) -> Int64 {
        if let id = house.withLock({ $0 }) { return id }
        let id = try await store.systemAccount(.house, tenant: schema, in: tx)
        house.withLock { $0 = id }
        return id
    }

    // MARK: Encoding

    static func encodeRecord(_ record: HandRecord) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(record), as: UTF8.self)
    }

    /// `{1,2,3}` for PostgreSQL array parameters of numbers.
    static func array(_ items: [String]) -> String { "{" + items.joined(separator: ",") + "}" }

    /// `{"a","b"}` with quotes and backslashes escaped, for text[] parameters.
    static func textArray(_ items: [String]) -> String {
        "{" + items.map { item in
            var out = "\""
            for ch in item {
                if ch == "\"" || ch == "\\" { out.append("\\") }
                out.append(ch)
            }
            return out + "\""
        }.joined(separator: ",") + "}"
    }
}
