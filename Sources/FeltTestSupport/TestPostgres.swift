import FeltStore
import Foundation

/// Throwaway PostgreSQL for tests: one shared embedded cluster per test process (started on
/// first use in a temporary folder, stopped and deleted at exit), a fresh database per test,
/// and private clusters for tests that stop and start the server.
public actor TestPostgres {
    /// The process-wide shared cluster.
    public static let shared = TestPostgres()

    private var cluster: EmbeddedPostgres?
    private var admin: PostgresPool?
    private var databases = 0

    /// Starts the shared cluster if it is not running yet and returns it.
    public func start() async throws -> EmbeddedPostgres {
        if let cluster { return cluster }
        let started = try await Self.makeCluster(name: "shared")
        cluster = started
        admin = PostgresPool(configuration: .init(connection: started.connectionInfo(), maxConnections: 2),
                             budget: ConnectionBudget(limit: 2))
        return started
    }

    /// Creates an empty database on the shared cluster and returns how to reach it.
    public func makeDatabase(prefix: String = "test") async throws -> PostgresConnectionInfo {
        let cluster = try await start()
        guard let admin else { throw DatabaseError(.databaseUnavailable, "test cluster has no admin pool") }
        databases += 1
        let name = "\(prefix)_\(getpid())_\(databases)"
        let quoted = try await admin.escapeIdentifier(name)
        try await admin.execute(script: "CREATE DATABASE \(quoted)")
        return cluster.connectionInfo(database: name)
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
        try await cluster.start()
        return cluster
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
