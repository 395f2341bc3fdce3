import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

@Suite struct FeltDatabaseTests {
    @Test func anEmbeddedDatabaseKeepsTenantDataAcrossRestartsFromItsFolder() async throws {
        let folder = try makeTemporaryDirectory("felt-db")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = EmbeddedPostgresConfiguration(directory: folder, durable: false)
        let first = try await FeltDatabase.open(.embedded(configuration), budget: ConnectionBudget(limit: 8))
        let results = await first.migrate(tenants: ["aces", "kings"])
        #expect(results.allSatisfy { $0.isReady })
        let aces = try TenantSchema(tenantID: "aces")
        let created = try await first.store.createUser(tenant: aces, username: "Persist", email: nil, passwordHash: "h",
                                                       startingBalance: 250)
        #expect(try await first.pool.query("SELECT current_database() AS d").first?.string("d") == "felt")
        try await first.shutdown()
        #expect(await first.cluster?.isRunning() == false)

        let second = try await FeltDatabase.open(.embedded(configuration), budget: ConnectionBudget(limit: 8))
        let again = await second.migrate(tenants: ["aces", "kings"])
        #expect(again.allSatisfy { $0.isReady && $0.applied.isEmpty })
        let found = try await second.store.findUser(tenant: aces, username: "persist")
        #expect(found?.id == created.id)
        #expect(try await second.store.walletBalance(tenant: aces, userID: created.id) == 250)
        try await second.shutdown()
    }
}
