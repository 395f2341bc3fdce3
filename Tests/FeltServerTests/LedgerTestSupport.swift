import FeltStore
import FeltTestSupport
import Foundation
@testable import FeltServer

/// A fresh database with one migrated tenant (accounts, ledger and hand history).
struct LedgerFixture {
    let pool: PostgresPool
    let schema: TenantSchema

    static func make(tenant: String = "club") async throws -> LedgerFixture {
        let info = try await TestPostgres.shared.makeDatabase(prefix: "ledger")
        let pool = PostgresPool(configuration: .init(connection: info, maxConnections: 4), budget: ConnectionBudget(limit: 4))
        let results = await MigrationRunner(pool: pool).migrate(tenants: [tenant])
        guard results.allSatisfy(\.isReady) else { throw FixtureError("migration failed: \(results)") }
        let schema = try TenantSchema(tenantID: tenant)
        return LedgerFixture(pool: pool, schema: schema)
    }

    /// A user with a wallet credited `balance` from issuance; returns the user id.
    func user(_ name: String, balance: Int64) async throws -> Int64 {
        let s = schema.quoted
        let row = try await pool.query("""
            INSERT INTO \(s).users (username, username_lower, password_hash) VALUES ($1, lower($1), 'x') RETURNING id
            """, [.text(name)])
        let id = try row.first.map { try $0.int64("id") } ?? 0
        let wallet = try await pool.query("INSERT INTO \(s).ledger_accounts (kind, user_id) VALUES ('wallet', $1) RETURNING id",
                                          [.int(id)])
        let walletID = try wallet.first.map { try $0.int64("id") } ?? 0
        guard balance > 0 else { return id }
        let issuance = try await pool.query("SELECT id FROM \(s).ledger_accounts WHERE kind = 'issuance'")
        let issuanceID = try issuance.first.map { try $0.int64("id") } ?? 0
        _ = try await TenantStore(pool: pool).postEntry(tenant: schema, kind: "starting_balance",
                                                        postings: [Posting(account: issuanceID, amount: -balance),
                                                                   Posting(account: walletID, amount: balance)])
        return id
    }

    func wallet(_ user: Int64) async throws -> Int64 {
        try await WalletQueries.balance(schema: schema, pool: pool, user: user) ?? -1
    }

    func escrow(_ table: String, _ user: Int64) async throws -> Int64 {
        let rows = try await pool.query("""
            SELECT balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'escrow' AND table_id = $1 AND user_id = $2
            """, [.text(table), .int(user)])
        return try rows.first.map { try $0.int64("balance") } ?? 0
    }

    func house() async throws -> Int64 {
        let rows = try await pool.query("SELECT balance FROM \(schema.quoted).ledger_accounts WHERE kind = 'house'")
        return try rows.first.map { try $0.int64("balance") } ?? -1
    }

    func count(_ table: String) async throws -> Int64 {
        let rows = try await pool.query("SELECT count(*)::int8 AS c FROM \(schema.quoted).\(table)")
        return try rows.first.map { try $0.int64("c") } ?? -1
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
