/// Felt's database brought up in one call: the embedded cluster (or an external server), a
/// dedicated database in it, the connection pool, and the catalog. The server's entry point.
public final class FeltDatabase: Sendable {
    /// Where the data lives.
    public enum Source: Sendable, Equatable {
        /// Felt's own cluster in a folder; `database` is created in it on first start.
        case embedded(EmbeddedPostgresConfiguration, database: String = "felt")
        /// An existing PostgreSQL server (the configured URL).
        case external(PostgresConnectionInfo)
    }

    /// The embedded cluster, when the source is embedded.
    public let cluster: EmbeddedPostgres?
    /// The shared pool (all tenants).
    public let pool: PostgresPool
    /// Repository functions over the pool.
    public let store: TenantStore

    private init(cluster: EmbeddedPostgres?, pool: PostgresPool) {
        self.cluster = cluster
        self.pool = pool
        self.store = TenantStore(pool: pool)
    }

    /// Starts (or connects to) the database and makes sure the catalog exists.
    ///
    /// Failures are `database_unavailable` with the reason in the message.
    public static func open(_ source: Source, maxConnections: Int = 8, budget: ConnectionBudget = .shared,
                            log: @escaping @Sendable (String) -> Void = { _ in }) async throws(DatabaseError) -> FeltDatabase {
        let cluster: EmbeddedPostgres?
        let connection: PostgresConnectionInfo
        switch source {
        case .embedded(let configuration, let database):
            let embedded = EmbeddedPostgres(configuration: configuration, log: log)
            do {
                try await embedded.start()
            } catch {
                throw DatabaseError(.databaseUnavailable, "embedded PostgreSQL did not start: \(error)")
            }
            try await ensureDatabase(database, on: embedded, budget: budget)
            cluster = embedded
            connection = embedded.connectionInfo(database: database)
        case .external(let info):
            cluster = nil
            connection = info
        }
        let pool = PostgresPool(configuration: .init(connection: connection, maxConnections: maxConnections),
                                budget: budget, log: log)
        do {
            try await FeltCatalog.ensure(pool)
        } catch {
            pool.close()
            throw error
        }
        return FeltDatabase(cluster: cluster, pool: pool)
    }

    private static func ensureDatabase(_ name: String, on cluster: EmbeddedPostgres,
                                       budget: ConnectionBudget) async throws(DatabaseError) {
        let admin = PostgresPool(configuration: .init(connection: cluster.connectionInfo(), maxConnections: 1), budget: budget)
        defer { admin.close() }
        let exists = try await admin.query("SELECT 1 AS one FROM pg_database WHERE datname = $1", [.text(name)])
        if exists.rows.isEmpty {
            let quoted = try await admin.escapeIdentifier(name)
            do {
                try await admin.execute(script: "CREATE DATABASE \(quoted) ENCODING 'UTF8' TEMPLATE template0")
            } catch where error.sqlState == "42P04" || error.code == .uniqueViolation {
                // Created concurrently by another process: fine.
            }
        }
    }

    /// Applies the tenant migrations (see `MigrationRunner`); tenants whose result is not
    /// `isReady` should answer 503 `tenant_unavailable`.
    public func migrate(tenants: [String], concurrency: Int = 4,
                        migrations: @escaping @Sendable (TenantSchema) -> [Migration] = { _ in TenantMigrations.all },
                        log: @escaping @Sendable (String) -> Void = { _ in }) async -> [TenantMigrationResult] {
        await MigrationRunner(pool: pool, concurrency: concurrency, migrations: migrations, log: log).migrate(tenants: tenants)
    }

    /// Closes the pool and stops the embedded cluster (if any).
    public func shutdown() async throws(DatabaseError) {
        pool.close()
        do {
            try await cluster?.stop()
        } catch {
            throw DatabaseError(.databaseUnavailable, "embedded PostgreSQL did not stop cleanly: \(error)")
        }
    }
}
