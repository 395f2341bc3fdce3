import FeltConfig
import FeltStore
import Foundation

/// The database the server uses: an embedded cluster it runs itself, or an external
/// server from the configured URL, and the shared connection pool.
public final class DatabaseRuntime: Sendable {
    /// The pool every tenant shares (its size is the configured connection budget).
    public let pool: PostgresPool
    /// The embedded cluster, when Felt runs it.
    public let embedded: EmbeddedPostgres?

    private init(pool: PostgresPool, embedded: EmbeddedPostgres?) {
        self.pool = pool
        self.embedded = embedded
    }

    /// Brings the database up (initdb + start for an embedded cluster) and creates the pool.
    public static func start(_ settings: DatabaseSettings, dataDirectoryOverride: String?, log: ServerLog)
        async throws(ServeError) -> DatabaseRuntime {
        let connection: PostgresConnectionInfo
        var embedded: EmbeddedPostgres?
        switch settings.kind {
        case .embedded(let configured):
            let folder = URL(fileURLWithPath: dataDirectoryOverride ?? configured).standardizedFileURL.path
            let cluster = EmbeddedPostgres(configuration: EmbeddedPostgresConfiguration(directory: folder)) { line in
                log("postgres: \(line)")
            }
            log("starting embedded PostgreSQL in \(folder)")
            do { try await cluster.start() } catch {
                throw ServeError("database_start_failed", "embedded PostgreSQL in \(folder) did not start: \(error)")
            }
            embedded = cluster
            connection = cluster.connectionInfo()
        case .url(let secret):
            connection = PostgresConnectionInfo(conninfo: secret.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let budget = ConnectionBudget(limit: settings.maxConnections)
        let pool = PostgresPool(configuration: .init(connection: connection, maxConnections: settings.maxConnections,
                                                     connectTimeout: 2, acquireTimeout: 5),
                                budget: budget) { notice in log("postgres notice: \(notice)") }
        return DatabaseRuntime(pool: pool, embedded: embedded)
    }

    /// Closes the pool and stops the embedded cluster.
    public func stop(log: ServerLog) async {
        pool.close()
        if let embedded {
            do { try await embedded.stop() } catch { log("stopping embedded PostgreSQL failed: \(error)") }
        }
    }
}
