import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// A real `felt serve` child process for the end-to-end table scenarios: ephemeral port,
/// a temporary configuration with two clubs (`aces`, `kings`) and the tables the Python
/// scenarios in `Tests/python/e2e_tables.py` expect, and a fresh database on the shared
/// test cluster reached through `database.url_env`. It can be killed with SIGKILL and
/// restarted on the same database.
final class E2EServer: Sendable {
    let folder: URL
    let database: PostgresConnectionInfo
    private let server: FeltServeProcess

    /// The port the running server listens on.
    var port: Int { server.port }
    /// The configuration file.
    var configPath: String { folder.appendingPathComponent("felt.yaml").path }
    /// Everything the server processes wrote so far (stdout and stderr interleaved).
    var log: String { server.log }

    /// Writes the configuration, makes a database and starts the server.
    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-e2e-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["aces.secret", "kings.secret"] {
            try Data((0..<48).map { _ in UInt8.random(in: 65...90) }).write(to: folder.appendingPathComponent(name))
        }
        try Data("open sesame".utf8).write(to: folder.appendingPathComponent("vip.passphrase"))
        try Data(Self.yaml.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
        database = try await TestPostgres.shared.makeDatabase(prefix: "e2e")
        server = FeltServeProcess(
            arguments: ["serve", "--config", folder.appendingPathComponent("felt.yaml").path, "--port", "0",
                        "--test-scrypt-log-n", "10"],
            environment: ["FELT_E2E_DATABASE_URL": database.conninfo])
        try await start()
    }

    /// Starts `felt serve` and waits for its ready line.
    func start() async throws { try await server.start() }

    /// Runs one scenario of `Tests/python/e2e_tables.py` against the running server.
    func scenario(_ name: String, timeout: TimeInterval = 180) throws -> ProcessResult {
        try runProcess("python3", [script, name, "--port", String(port)], timeout: timeout)
    }

    var script: String { TestEnvironment.pythonTests.appendingPathComponent("e2e_tables.py").path }

    /// SIGKILL: no shutdown code runs.
    func killNine() { server.killNine() }

    /// SIGTERM, then waits for the exit; returns the exit status.
    func stop() async -> Int32 { await server.stop() }

    /// `felt audit --config` on the (stopped) server's configuration and database.
    func audit() throws -> ProcessResult {
        try runProcess(TestEnvironment.feltExecutable.path, ["audit", "--config", configPath],
                       environment: ["FELT_E2E_DATABASE_URL": database.conninfo], timeout: 120)
    }

    /// Deletes the temporary configuration folder.
    func removeFiles() {
        try? FileManager.default.removeItem(at: folder)
    }

    /// Two clubs; table types as documented at the top of `e2e_tables.py`.
    static let yaml = """
        server:
          listen: { host: 127.0.0.1, port: 0 }
          event_loops: 2
          heartbeat_interval: 500ms
          reconnect_grace: 0s
          hand_pause: 300ms
          ws_message_rate: 50/s
        database:
          url_env: FELT_E2E_DATABASE_URL
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
            tables:
              - { type: nl, count: 12 }
              - { type: hu, count: 1 }
              - { type: vip, count: 1 }
              - { type: quick, count: 1 }
              - { type: high, count: 1 }
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
              - { type: nl, count: 4 }

        """
}
