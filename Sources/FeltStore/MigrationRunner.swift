import Foundation

/// How one tenant's migration ended.
public struct TenantMigrationResult: Sendable, Equatable {
    /// The tenant.
    public let tenantID: String
    /// Schema version after the run (0: nothing applied).
    public let version: Int
    /// Versions applied by this run.
    public let applied: [Int]
    /// The failure, if the tenant could not be brought to the latest version.
    public let error: DatabaseError?
    /// The migration version that failed, if one did.
    public let failedVersion: Int?

    /// Whether the tenant's schema is at the latest version and may serve.
    public var isReady: Bool { error == nil }
}

/// Applies the embedded migrations to every tenant schema at start-up, several tenants at a
/// time, one transaction per step, recording each run in `felt_catalog`. A tenant whose step
/// fails stops there (its earlier steps stay applied) and is reported; the next run resumes
/// at the failed step.
public struct MigrationRunner: Sendable {
    private let pool: PostgresPool
    private let migrations: @Sendable (TenantSchema) -> [Migration]
    private let concurrency: Int
    private let log: @Sendable (String) -> Void

    /// A runner. `migrations` picks the list per tenant (tests use it to inject a failing step).
    public init(pool: PostgresPool, concurrency: Int = 4,
                migrations: @escaping @Sendable (TenantSchema) -> [Migration] = { _ in TenantMigrations.all },
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.pool = pool
        self.migrations = migrations
        self.concurrency = max(1, concurrency)
        self.log = log
    }

    /// Migrates every tenant and returns one result per tenant id, in the order given.
    public func migrate(tenants: [String]) async -> [TenantMigrationResult] {
        do {
            try await FeltCatalog.ensure(pool)
        } catch {
            return tenants.map { TenantMigrationResult(tenantID: $0, version: 0, applied: [], error: error, failedVersion: nil) }
        }
        // Tenants already at the latest version (the usual restart) need no further round trips.
        let known = (try? await FeltCatalog.allAppliedVersions(pool)) ?? [:]
        var results = [String: TenantMigrationResult]()
        await withTaskGroup(of: TenantMigrationResult.self) { group in
            var pending = tenants[...]
            var running = 0
            while running < concurrency, let next = pending.popFirst() {
                group.addTask { await self.migrate(tenant: next, alreadyApplied: known[next] ?? []) }
                running += 1
            }
            while let finished = await group.next() {
                results[finished.tenantID] = finished
                if let next = pending.popFirst() {
                    group.addTask { await self.migrate(tenant: next, alreadyApplied: known[next] ?? []) }
                }
            }
        }
        return tenants.map { id in
            results[id] ?? TenantMigrationResult(tenantID: id, version: 0, applied: [],
                                                 error: DatabaseError(.tenantUnavailable, "not migrated"), failedVersion: nil)
        }
    }

    private func migrate(tenant id: String, alreadyApplied: Set<Int>) async -> TenantMigrationResult {
        let schema: TenantSchema
        do {
            schema = try TenantSchema(tenantID: id)
        } catch {
            return TenantMigrationResult(tenantID: id, version: 0, applied: [], error: error, failedVersion: nil)
        }
        let steps = migrations(schema).sorted { $0.version < $1.version }
        if !steps.isEmpty && steps.allSatisfy({ alreadyApplied.contains($0.version) }) {
            return TenantMigrationResult(tenantID: id, version: alreadyApplied.max() ?? 0, applied: [], error: nil, failedVersion: nil)
        }
        var applied = [Int]()
        var current = 0
        var runID: Int64?
        do {
            _ = try await pool.query("""
                INSERT INTO felt_catalog.tenants (tenant_id, schema_name) VALUES ($1, $2)
                ON CONFLICT (tenant_id) DO NOTHING
                """, [.text(id), .text(schema.name)])
            let done = Set(try await FeltCatalog.appliedVersions(pool, tenantID: id))
            current = done.max() ?? 0
            runID = try await pool.query("""
                INSERT INTO felt_catalog.migration_runs (tenant_id, from_version, result) VALUES ($1, $2, 'running') RETURNING id
                """, [.text(id), .int(Int64(current))]).first?.int64("id")
            for step in steps where !done.contains(step.version) {
                do {
                    let ran = try await apply(step, to: schema)
                    if ran { applied.append(step.version) }
                    current = max(current, step.version)
                } catch {
                    log("migration \(step.version) (\(step.name)) failed for tenant \(id): \(error)")
                    await record(runID: runID, tenantID: id, result: "failed", version: current,
                                 failedVersion: step.version, error: error.message)
                    return TenantMigrationResult(tenantID: id, version: current, applied: applied, error: error,
                                                 failedVersion: step.version)
                }
            }
            await record(runID: runID, tenantID: id, result: "succeeded", version: current, failedVersion: nil, error: nil)
            return TenantMigrationResult(tenantID: id, version: current, applied: applied, error: nil, failedVersion: nil)
        } catch {
            await record(runID: runID, tenantID: id, result: "failed", version: current, failedVersion: nil, error: error.message)
            return TenantMigrationResult(tenantID: id, version: current, applied: applied, error: error, failedVersion: nil)
        }
    }

    /// Applies one step in its own transaction; false when another process applied it meanwhile.
    private func apply(_ step: Migration, to schema: TenantSchema) async throws(DatabaseError) -> Bool {
        try await pool.transaction { tx throws(DatabaseError) in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(hashtext('felt_tenant:' || $1))", [.text(schema.tenantID)])
            let already = try await tx.query("SELECT 1 AS one FROM felt_catalog.schema_versions WHERE tenant_id = $1 AND version = $2",
                                             [.text(schema.tenantID), .int(Int64(step.version))])
            if !already.rows.isEmpty { return false }
            try await tx.execute(script: "CREATE SCHEMA IF NOT EXISTS \(schema.quoted)")
            try await tx.execute(script: step.sql(for: schema))
            _ = try await tx.query("INSERT INTO felt_catalog.schema_versions (tenant_id, version, name) VALUES ($1, $2, $3)",
                                   [.text(schema.tenantID), .int(Int64(step.version)), .text(step.name)])
            _ = try await tx.query("UPDATE felt_catalog.tenants SET last_migrated_at = now() WHERE tenant_id = $1",
                                   [.text(schema.tenantID)])
            return true
        }
    }

    private func record(runID: Int64?, tenantID: String, result: String, version: Int, failedVersion: Int?, error: String?) async {
        guard let runID else { return }
        _ = try? await pool.query("""
            UPDATE felt_catalog.migration_runs SET finished_at = now(), result = $2, to_version = $3, failed_version = $4, error = $5
            WHERE id = $1
            """, [.int(runID), .text(result), .int(Int64(version)), failedVersion.map { .int(Int64($0)) } ?? .null,
                  error.map { .text($0) } ?? .null])
    }
}
