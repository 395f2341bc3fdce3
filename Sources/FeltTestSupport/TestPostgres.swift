import FeltStore
import Foundation

/// Throwaway PostgreSQL for tests: one shared embedded cluster per test process (started on
/// first use in a temporary folder, stopped and deleted at exit), a fresh database per test,
/// and private clusters for tests that stop and start the server.
public actor TestPostgres {
    /// The process-wide shared cluster.
    public static let shared = TestPostgres()

    private var starting: Task<(EmbeddedPostgres, PostgresPool), any Error>?
    private var databases = 0

    /// Starts the shared cluster if it is not running yet and returns it. Concurrent first
    /// callers share one start.
    public func start() async throws -> EmbeddedPostgres {
        try await running().0
    }

    private func running() async throws -> (EmbeddedPostgres, PostgresPool) {
        if let starting { return try await starting.value }
        let task = Task { () async throws -> (EmbeddedPostgres, PostgresPool) in
            let cluster = try await Self.makeCluster(name: "shared")
            // Many tests create their databases at once; they queue here rather than fail.
            let admin = PostgresPool(configuration: .init(connection: cluster.connectionInfo(), maxConnections: 3,
                                                          acquireTimeout: 600),
                                     budget: ConnectionBudget(limit: 3))
            return (cluster, admin)
        }
        starting = task
        return try await task.value
    }

    /// Creates an empty database on the shared cluster and returns how to reach it.
    public func makeDatabase(prefix: String = "test") async throws -> PostgresConnectionInfo {
        let (cluster, admin) = try await running()
        databases += 1
        let name = "\(prefix)_\(getpid())_\(databases)"
        let quoted = try await admin.escapeIdentifier(name)
        try await admin.execute(script: "CREATE DATABASE \(quoted)")
        return cluster.connectionInfo(database: name)
    }

    /// Makes the next migration of `tenantID` in that database fail, the way a real conflict
    /// would: its schema already holds a `users` table that migration v1 cannot create.
    /// Works for a `felt serve` child process too (no in-process hook needed).
    public static func breakMigrations(of tenantID: String, in database: PostgresConnectionInfo) async throws {
        let schema = try TenantSchema(tenantID: tenantID)
        let pool = PostgresPool(configuration: .init(connection: database, maxConnections: 1), budget: ConnectionBudget(limit: 1))
        defer { pool.close() }
        try await pool.execute(script: "CREATE SCHEMA IF NOT EXISTS \(schema.quoted); CREATE TABLE \(schema.quoted).users (sabotage int)")
    }

    /// A started cluster of its own in a fresh temporary folder, stopped and deleted at process
    /// exit (or earlier by the caller). For tests that stop and restart the server.
    public static func makeCluster(name: String = "private") async throws -> EmbeddedPostgres {
        let folder = FileManager.default.temporaryDirectory
            .appendingPathComponent("felt-test-\(name)-\(getpid())-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let cluster = EmbeddedPostgres(configuration: .init(directory: folder, durable: false,
                                                            settings: ["max_connections": "200"]))
        TestClusterRegistry.shared.register(cluster)
        startWatchdog(for: cluster)
        try await cluster.start()
        return cluster
    }

    /// A detached shell that stops and deletes the cluster if this process dies without running
    /// its exit handlers (a crash or SIGKILL), so no test server outlives the test run.
    private static func startWatchdog(for cluster: EmbeddedPostgres) {
        guard let bin = try? EmbeddedPostgres.findBinDirectory() else { return }
        let configuration = cluster.configuration
        let stop = (getuid() == 0 ? "/usr/sbin/runuser -u \"$4\" -- " : "") + "\"$2/pg_ctl\" stop -D \"$1/pgdata\" -m immediate"
        let script = "while kill -0 \"$0\" 2>/dev/null; do sleep 1; done; "
            + "if [ -f \"$1/pgdata/postmaster.pid\" ]; then \(stop) >/dev/null 2>&1; fi; rm -rf \"$1\" \"$3\""
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script, String(getpid()), configuration.directory, bin,
                             configuration.resolvedSocketDirectory, configuration.systemUser]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try? process.run()
    }
}

/// Clusters to stop and delete when the test process exits.
final class TestClusterRegistry: @unchecked Sendable {
    // @unchecked Sendable: `clusters` is only touched while holding `lock`.
    static let shared = TestClusterRegistry()
    private let lock = NSLock()
    private var clusters: [EmbeddedPostgres] = []
    private var installed = false

    func register(_ cluster: EmbeddedPostgres) {
        lock.withLock {
            clusters.append(cluster)
            if !installed {
                installed = true
                atexit { TestClusterRegistry.shared.cleanUp() }
            }
        }
    }

    func cleanUp() {
        let all = lock.withLock { () -> [EmbeddedPostgres] in
            defer { clusters = [] }
            return clusters
        }
        for cluster in all {
            try? cluster.stopSynchronously(mode: "immediate")
            try? FileManager.default.removeItem(atPath: cluster.configuration.directory)
            if cluster.configuration.socketDirectory == nil {
                try? FileManager.default.removeItem(atPath: cluster.configuration.resolvedSocketDirectory)
            }
        }
    }
}
