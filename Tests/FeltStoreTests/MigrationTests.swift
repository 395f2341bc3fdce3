import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

/// The released steps' versions, and the version of the injected test step that follows them.
private let released = TenantMigrations.all.map(\.version)
private let latest = TenantMigrations.latestVersion
private let injectedVersion = latest + 1
private let addNickname = Migration(version: injectedVersion, name: "nicknames",
                                    sql: "ALTER TABLE {{schema}}.users ADD COLUMN nickname text")
private let brokenStep = Migration(version: injectedVersion, name: "nicknames",
                                   sql: "ALTER TABLE {{schema}}.no_such_table ADD COLUMN nickname text")

@Suite struct MigrationTests {
    @Test func everyTenantGetsItsOwnSchemaAndTheCatalogRecordsIt() async throws {
        let pool = try await makePool()
        defer { pool.close() }
        let results = await MigrationRunner(pool: pool, concurrency: 2).migrate(tenants: ["aces", "kings", "queens"])
        #expect(results.map(\.tenantID) == ["aces", "kings", "queens"])
        #expect(results.allSatisfy { $0.isReady && $0.version == latest && $0.applied == released })
        for tenant in ["aces", "kings", "queens"] {
            let exists = try await pool.query("SELECT to_regclass($1) IS NOT NULL AS present", [.text("tenant_\(tenant).users")])
            #expect(try exists.first?.bool("present") == true)
            #expect(try await FeltCatalog.appliedVersions(pool, tenantID: tenant) == released)
            for table in ["hand_records", "hand_participants", "idempotency_keys"] {
                let present = try await pool.query("SELECT to_regclass($1) IS NOT NULL AS present", [.text("tenant_\(tenant).\(table)")])
                #expect(try present.first?.bool("present") == true, "\(table) of \(tenant)")
            }
            let runs = try await FeltCatalog.runs(pool, tenantID: tenant)
            #expect(runs.map(\.result) == ["succeeded"])
            #expect(runs.first?.toVersion == latest)
        }
        let again = await MigrationRunner(pool: pool).migrate(tenants: ["aces"])
        #expect(again.first?.applied == [])
        #expect(again.first?.isReady == true)
        #expect(again.first?.version == TenantMigrations.latestVersion)
        // An up-to-date tenant costs no catalog writes on restart.
        #expect(try await FeltCatalog.runs(pool, tenantID: "aces").count == 1)
    }

    @Test func aFailingTenantIsReportedWhileOthersMigrateAndARerunResumes() async throws {
        let pool = try await makePool()
        defer { pool.close() }
        let injected = MigrationRunner(pool: pool, migrations: { schema in
            TenantMigrations.all + [schema.tenantID == "broken" ? brokenStep : addNickname]
        })
        let first = await injected.migrate(tenants: ["good", "broken", "other"])
        let byID = Dictionary(uniqueKeysWithValues: first.map { ($0.tenantID, $0) })
        #expect(byID["good"]?.isReady == true && byID["good"]?.version == injectedVersion)
        #expect(byID["other"]?.isReady == true && byID["other"]?.version == injectedVersion)
        let broken = try #require(byID["broken"])
        #expect(!broken.isReady)
        #expect(broken.failedVersion == injectedVersion)
        #expect(broken.version == latest)
        #expect(broken.applied == released)
        #expect(broken.error?.sqlState == "42P01")
        let runs = try await FeltCatalog.runs(pool, tenantID: "broken")
        #expect(runs.last?.result == "failed")
        #expect(runs.last?.failedVersion == injectedVersion)
        #expect(runs.last?.error?.contains("no_such_table") == true)
        // Nothing of the failed step is half-applied.
        #expect(try await FeltCatalog.appliedVersions(pool, tenantID: "broken") == released)

        let fixed = MigrationRunner(pool: pool, migrations: { _ in TenantMigrations.all + [addNickname] })
        let second = await fixed.migrate(tenants: ["good", "broken", "other"])
        #expect(second.allSatisfy { $0.isReady && $0.version == injectedVersion })
        #expect(second.first { $0.tenantID == "broken" }?.applied == [injectedVersion])
        #expect(second.first { $0.tenantID == "good" }?.applied == [])
        let column = try await pool.query("""
            SELECT count(*) AS c FROM information_schema.columns
            WHERE table_schema = 'tenant_broken' AND table_name = 'users' AND column_name = 'nickname'
            """)
        #expect(try column.first?.int64("c") == 1)
        #expect(try await FeltCatalog.runs(pool, tenantID: "broken").map(\.result) == ["failed", "succeeded"])
    }

    @Test func aDatabaseWhoseHandHistoryTablesPredateVersionTwoMigratesAndKeepsItsRows() async throws {
        let pool = try await makePool()
        defer { pool.close() }
        // Before v2 existed, start-up created these tables outside the numbered steps: v1 only
        // in the catalog, the tables there with rows in them.
        let v1Only = await MigrationRunner(pool: pool, migrations: { _ in [TenantMigrations.v1AccountsAndLedger] })
            .migrate(tenants: ["legacy"])
        #expect(v1Only.first?.version == 1)
        let schema = try TenantSchema(tenantID: "legacy")
        try await pool.execute(script: TenantMigrations.v2HandHistory.sql(for: schema))
        let user = try await TenantStore(pool: pool).createUser(tenant: schema, username: "old", email: nil, passwordHash: "h",
                                                                startingBalance: 0)
        _ = try await pool.query("INSERT INTO \(schema.quoted).idempotency_keys (user_id, key, request_hash, state) VALUES ($1, 'k', 'h', 'done')",
                                 [.int(user.id)])
        #expect(try await FeltCatalog.appliedVersions(pool, tenantID: "legacy") == [1])

        let results = await MigrationRunner(pool: pool).migrate(tenants: ["legacy"])
        #expect(results.first?.isReady == true)
        #expect(results.first?.applied == Array(released.dropFirst()))
        #expect(try await FeltCatalog.appliedVersions(pool, tenantID: "legacy") == released)
        let kept = try await pool.query("SELECT count(*)::int8 AS c FROM \(schema.quoted).idempotency_keys")
        #expect(try kept.first?.int64("c") == 1)
    }

    @Test func aConflictingObjectInOneTenantSchemaFailsOnlyThatTenant() async throws {
        let info = try await TestPostgres.shared.makeDatabase(prefix: "sabotage")
        try await TestPostgres.breakMigrations(of: "spades", in: info)
        let pool = PostgresPool(configuration: .init(connection: info), budget: ConnectionBudget(limit: 8))
        defer { pool.close() }
        let results = await MigrationRunner(pool: pool).migrate(tenants: ["hearts", "spades", "clubs"])
        #expect(results.map(\.isReady) == [true, false, true])
        #expect(results[1].failedVersion == 1)
        #expect(results[1].error?.sqlState == "42P07")
        let store = TenantStore(pool: pool)
        let hearts = try TenantSchema(tenantID: "hearts")
        _ = try await store.createUser(tenant: hearts, username: "fine", email: nil, passwordHash: "h", startingBalance: 10)
        #expect(try await store.findUser(tenant: hearts, username: "fine") != nil)
    }

    @Test func aTenantIdThatCannotNameASchemaIsRejected() async throws {
        let pool = try await makePool()
        defer { pool.close() }
        let results = await MigrationRunner(pool: pool).migrate(tenants: ["Bad-Id", "fine"])
        #expect(results[0].error?.code == .invalidTenant)
        #expect(results[1].isReady)
        #expect(throws: DatabaseError.self) { try TenantSchema(tenantID: "x\"; DROP SCHEMA public; --") }
        #expect(throws: DatabaseError.self) { try TenantSchema(tenantID: String(repeating: "a", count: 41)) }
    }

    @Test func theQuotedSchemaNameIsWhatLibpqWouldProduce() async throws {
        let pool = try await makePool()
        defer { pool.close() }
        for id in ["aces", "club_7", "z"] {
            let schema = try TenantSchema(tenantID: id)
            #expect(try await pool.escapeIdentifier(schema.name) == schema.quoted)
        }
    }
}
