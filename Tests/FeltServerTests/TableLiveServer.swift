import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// A real `felt serve` child for the live-table tests: ephemeral port, a temporary
/// configuration with two clubs (the tables `Tests/python/live_tables.py` expects) and a
/// fresh database on the shared test cluster (`database.url_env`). Can be killed with
/// SIGKILL and restarted on the same database.
final class TableLiveServer: Sendable {
    let folder: URL
    let database: PostgresConnectionInfo
    private let server: FeltServeProcess

    var port: Int { server.port }
    var configPath: String { folder.appendingPathComponent("felt.yaml").path }
    var log: String { server.log }

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-live-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["aces.secret", "kings.secret"] {
            try Data((0..<48).map { _ in UInt8.random(in: 65...90) }).write(to: folder.appendingPathComponent(name))
        }
        try Data("open sesame".utf8).write(to: folder.appendingPathComponent("vip.passphrase"))
        try Data(Self.yaml.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
        database = try await TestPostgres.shared.makeDatabase(prefix: "live")
        server = FeltServeProcess(
            arguments: ["serve", "--config", folder.appendingPathComponent("felt.yaml").path, "--port", "0",
                        "--test-scrypt-log-n", "10"],
            environment: ["FELT_LIVE_DATABASE_URL": database.conninfo])
        try await start()
    }

    /// Starts `felt serve` and waits for its ready line.
    func start() async throws { try await server.start() }

    /// Runs one scenario of `Tests/python/live_tables.py`.
    func scenario(_ name: String, state: String? = nil, killingServer: Bool = false) throws -> ProcessResult {
        var arguments = [TestEnvironment.pythonTests.appendingPathComponent("live_tables.py").path, name, "--port", String(port)]
        if let state { arguments += ["--state", state] }
        if killingServer, let pid = server.pid { arguments += ["--kill-pid", String(pid)] }
        return try runProcess("python3", arguments, timeout: 120)
    }

    /// Waits for the server process to end (after a client killed it).
    func waitForExit() { server.waitForExit() }

    /// SIGKILL: no shutdown code runs.
    func killNine() { server.killNine() }

    /// SIGTERM and wait; the exit status.
    func stop() async -> Int32 { await server.stop() }

    /// `felt audit` on the stopped server's database, requiring empty escrows.
    func audit(serverStopped: Bool = true) throws -> ProcessResult {
        try runProcess(TestEnvironment.feltExecutable.path,
                       ["audit", "--config", configPath, serverStopped ? "--server-stopped" : "--server-running"],
                       environment: ["FELT_LIVE_DATABASE_URL": database.conninfo], timeout: 120)
    }

    func removeFiles() { try? FileManager.default.removeItem(at: folder) }

    static let yaml = """
        server:
          listen: { host: 127.0.0.1, port: 0 }
          event_loops: 2
          heartbeat_interval: 500ms
          reconnect_grace: 0s
          hand_pause: 200ms
          ws_message_rate: 50/s
        database:
          url_env: FELT_LIVE_DATABASE_URL
          max_connections: 12
        defaults:
          limits:
            login_rate: 1000/1m
            register_rate: 1000/1m
          table_type:
            variant: nlhe
            blinds: { small: 5, big: 10 }
            buy_in: { min: 200, max: 2000 }
            seats: 6
            action_timeout: 30s
            time_bank: 0s
            rake: { percent: 5, cap: 30, no_flop_no_drop: true }
        tenants:
          - id: aces
            hosts: [aces.test]
            jwt:
              issuer: https://aces.test
              keys:
                - { kid: aces-1, alg: HS256, secret_file: aces.secret }
            wallet: { starting_balance: 10000 }
            table_types:
              - { id: nl }
              - { id: hu, seats: 2 }
              - { id: vip, passphrase_file: vip.passphrase }
              - { id: quick, action_timeout: 1s }
              - { id: high, buy_in: { min: 20000, max: 50000 } }
              - { id: free, rake: { percent: 0, cap: 0 } }
            tables:
              - { type: nl, count: 8 }
              - { type: hu, count: 1 }
              - { type: vip, count: 1 }
              - { type: quick, count: 1 }
              - { type: high, count: 1 }
              - { type: free, count: 1 }
          - id: kings
            hosts: [kings.test]
            jwt:
              issuer: https://kings.test
              keys:
                - { kid: kings-1, alg: HS256, secret_file: kings.secret }
            wallet: { starting_balance: 7000 }
            table_types:
              - { id: nl }
            tables:
              - { type: nl, count: 2 }

        """
}
