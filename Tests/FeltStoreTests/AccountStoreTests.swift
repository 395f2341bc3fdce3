import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

@Suite struct AccountStoreTests {
    @Test func registrationCreatesAWalletCreditedThroughTheJournal() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let alice = try await fixture.store.createUser(tenant: aces, username: "Alice", email: "a@example.com",
                                                       passwordHash: "scrypt$hash", startingBalance: 1_000)
        #expect(alice.username == "Alice")
        #expect(alice.walletBalance == 1_000)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: alice.id) == 1_000)
        #expect(try await fixture.store.findUser(tenant: aces, username: "ALICE") == alice)
        #expect(try await fixture.store.findUser(tenant: aces, id: alice.id) == alice)
        #expect(try await fixture.store.findUser(tenant: aces, username: "nobody") == nil)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries WHERE kind = 'starting_balance'") == 1)
        let audit = try await fixture.store.ledgerAudit(tenant: aces)
        #expect(audit.isConsistent)
        let zero = try await fixture.store.createUser(tenant: aces, username: "zed", email: nil, passwordHash: "h", startingBalance: 0)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: zero.id) == 0)
        #expect(zero.email == nil)
    }

    @Test func usernamesAreUniqueCaseInsensitivelyAndAFailedRegistrationLeavesNothing() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        _ = try await fixture.store.createUser(tenant: aces, username: "Bob", email: nil, passwordHash: "h", startingBalance: 500)
        let taken = await #expect(throws: DatabaseError.self) {
            _ = try await fixture.store.createUser(tenant: aces, username: "bOB", email: nil, passwordHash: "h2", startingBalance: 500)
        }
        #expect(taken?.code == .usernameTaken)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.users") == 1)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.ledger_accounts WHERE kind = 'wallet'") == 1)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries") == 1)
        #expect(try await fixture.store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func concurrentRegistrationsOfOneNameHaveExactlyOneWinner() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let store = fixture.store
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<6 {
                group.addTask {
                    do {
                        _ = try await store.createUser(tenant: aces, username: index % 2 == 0 ? "Racer" : "racer",
                                                       email: nil, passwordHash: "h", startingBalance: 100)
                        return "ok"
                    } catch {
                        return (error as? DatabaseError)?.code.rawValue ?? "other"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == "ok" }.count == 1)
        #expect(outcomes.filter { $0 == "username_taken" }.count == 5)
        #expect(try await store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func aTenantWithoutASchemaIsUnavailable() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let ghost = try TenantSchema(tenantID: "ghost")
        let error = await #expect(throws: DatabaseError.self) { _ = try await fixture.store.findUser(tenant: ghost, username: "x") }
        #expect(error?.code == .tenantUnavailable)
    }

    @Test func twoTenantsWithTheSameNamesServedConcurrentlyNeverSeeEachOthersRows() async throws {
        let fixture = try await MigratedStore.make(tenants: ["alpha", "beta"], maxConnections: 3)
        defer { fixture.pool.close() }
        let store = fixture.store
        let (alpha, beta) = (fixture.schemas[0], fixture.schemas[1])
        let names = ["sam", "kim", "lee", "max"]
        // Same usernames in both tenants, with tenant-specific hashes and balances.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for name in names {
                for (schema, balance) in [(alpha, Int64(100)), (beta, Int64(200))] {
                    group.addTask {
                        _ = try await store.createUser(tenant: schema, username: name, email: nil,
                                                       passwordHash: "\(schema.tenantID):\(name)", startingBalance: balance)
                    }
                }
            }
            try await group.waitForAll()
        }
        // Interleaved reads and ledger movements through the same connections.
        let mismatches = try await withThrowingTaskGroup(of: Int.self) { group in
            for round in 0..<40 {
                let schema = round % 2 == 0 ? alpha : beta
                let name = names[round % names.count]
                group.addTask {
                    var wrong = 0
                    guard let user = try await store.findUser(tenant: schema, username: name) else { return 1 }
                    if user.passwordHash != "\(schema.tenantID):\(name)" { wrong += 1 }
                    let escrow = try await store.pool.transaction { tx throws(DatabaseError) in
                        try await store.escrowAccount(tenant: schema, tableID: "nl-10-20-1", userID: user.id, in: tx)
                    }
                    _ = try await store.postEntry(tenant: schema, kind: "join", postings: [
                        Posting(account: user.walletAccountID, amount: -1), Posting(account: escrow, amount: 1),
                    ])
                    return wrong
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(mismatches == 0)
        for (schema, start) in [(alpha, Int64(100)), (beta, Int64(200))] {
            var total: Int64 = 0
            for name in names {
                let user = try #require(try await store.findUser(tenant: schema, username: name))
                total += try await store.walletBalance(tenant: schema, userID: user.id)
            }
            // Each tenant saw exactly its own 20 joins of one chip.
            #expect(total == start * Int64(names.count) - 20)
            #expect(try await store.ledgerAudit(tenant: schema).isConsistent)
            #expect(try await fixture.count("SELECT count(*) AS c FROM \(schema.quoted).users") == Int64(names.count))
        }
        // No session-level search_path leaked onto the shared connections.
        for _ in 0..<3 {
            #expect(try await fixture.pool.query("SHOW search_path").first?.string("search_path") == "\"$user\", public")
        }
    }
}
