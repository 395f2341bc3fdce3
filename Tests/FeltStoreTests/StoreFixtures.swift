import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

/// A fresh database with the given tenants migrated, and a store over one shared pool.
struct MigratedStore {
    let pool: PostgresPool
    let store: TenantStore
    let schemas: [TenantSchema]

    static func make(tenants: [String] = ["aces"], maxConnections: Int = 4) async throws -> MigratedStore {
        let pool = try await makePool(maxConnections: maxConnections)
        let results = await MigrationRunner(pool: pool).migrate(tenants: tenants)
        #expect(results.allSatisfy { $0.isReady })
        return MigratedStore(pool: pool, store: TenantStore(pool: pool),
                             schemas: try tenants.map { try TenantSchema(tenantID: $0) })
    }

    func count(_ sql: String, _ parameters: [PostgresValue] = []) async throws -> Int64 {
        try await pool.query(sql, parameters).first?.int64("c") ?? -1
    }
}
