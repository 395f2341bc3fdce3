import FeltStore
import FeltTestSupport
import Foundation

/// A real `felt serve` child for the table tests: ephemeral port, a temporary configuration
/// with two clubs (`aces.secret`, `kings.secret` and `vip.passphrase` beside it), and a fresh
/// database on the shared test cluster reached through `database.url_env`. It can be killed
/// with SIGKILL and restarted on the same database. `TableLiveServer`, `E2EServer` and
/// `LiveSessionServer` only add their `TableServerSetup` and their Python scenario script.
class TableServerHarness: @unchecked Sendable {
    // @unchecked Sendable: every stored property is immutable after init (the process
    // wrapper synchronises itself); subclasses add no stored state.
    let folder: URL
    let database: PostgresConnectionInfo
    let databaseVariable: String
    let script: String
    private let server: FeltServeProcess

    var port: Int { server.port }
    var pid: Int32? { server.pid }
    var configPath: String { folder.appendingPathComponent("felt.yaml").path }
    /// Everything the server processes wrote so far (stdout and stderr interleaved).
    var log: String { server.log }

    /// Writes `setup`'s configuration and its secrets to a new folder, makes a database and starts the server.
    init(name: String, databaseVariable: String, setup: TableServerSetup, script: String) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["aces.secret", "kings.secret"] {
            try Data((0..<48).map { _ in UInt8.random(in: 65...90) }).write(to: folder.appendingPathComponent(file))
        }
        try Data("open sesame".utf8).write(to: folder.appendingPathComponent("vip.passphrase"))
        try Data(setup.yaml(databaseVariable: databaseVariable).utf8).write(to: folder.appendingPathComponent("felt.yaml"))
        database = try await TestPostgres.shared.makeDatabase(prefix: name)
        self.databaseVariable = databaseVariable
        self.script = TestEnvironment.pythonTests.appendingPathComponent(script).path
        server = FeltServeProcess(
            arguments: ["serve", "--config", folder.appendingPathComponent("felt.yaml").path, "--port", "0",
                        "--test-scrypt-log-n", "10"],
            environment: [databaseVariable: database.conninfo])
        try await start()
    }

    /// Starts `felt serve` and waits for its ready line.
    func start() async throws { try await server.start() }

    /// Runs the scenario script with `arguments` (the port is added) and `environment` added to ours.
    func runScript(_ arguments: [String], environment: [String: String]? = nil,
                   timeout: TimeInterval) async throws -> ProcessResult {
        try await runProcess("python3", [script] + arguments + ["--port", String(port)], environment: environment,
                             timeout: timeout)
    }

    /// Runs `names` at once (each on its own tables) through `scenario` and returns their
    /// results sorted by name; nil for a scenario that could not be started.
    func scenarios(_ names: [String],
                   _ scenario: @escaping @Sendable (String) async throws -> ProcessResult) async -> [(name: String, result: ProcessResult?)] {
        await withTaskGroup(of: (String, ProcessResult?).self) { group in
            for name in names {
                group.addTask { (name, try? await scenario(name)) }
            }
            var all: [(name: String, result: ProcessResult?)] = []
            for await result in group { all.append(result) }
            return all.sorted { $0.name < $1.name }
        }
    }

    /// Waits for the server process to end (after a client killed it).
    func waitForExit() { server.waitForExit() }

    /// SIGKILL: no shutdown code runs.
    func killNine() { server.killNine() }

    /// SIGTERM, then waits for the exit; returns the exit status.
    func stop() async -> Int32 { await server.stop() }

    /// `felt audit --config` on this server's configuration and database.
    func audit(options: [String]) async throws -> ProcessResult {
        try await runProcess(TestEnvironment.feltExecutable.path, ["audit", "--config", configPath] + options,
                       environment: [databaseVariable: database.conninfo], timeout: 120)
    }

    /// Deletes the temporary configuration folder.
    func removeFiles() { try? FileManager.default.removeItem(at: folder) }
}

/// The tables of one club in a table harness's configuration, each a YAML flow map.
struct ClubTables: Sendable {
    let tableTypes: [String]
    let tables: [String]
}

/// What one table harness's configuration sets itself. `yaml(databaseVariable:)` adds what
/// they all share: the ephemeral listener, two event loops, 500 ms heartbeats, 50 WebSocket
/// messages/s, 12 database connections, generous login limits, the NLHE 5/10 default table
/// type (buy-in 200..2000, 6 seats, 30 s action timeout, no time bank), and the clubs
/// `aces` (aces.test, 10000 chips, key `aces.secret`) and `kings` (kings.test, 7000 chips,
/// key `kings.secret`).
struct TableServerSetup: Sendable {
    /// `server.hand_pause`.
    let handPause: String
    /// `server.reconnect_grace`; nil leaves the key out (the server's default).
    let reconnectGrace: String?
    /// The default table type's `rake`, a YAML flow map.
    let rake: String
    let aces: ClubTables
    /// Club `kings`, or nil for a configuration without it.
    let kings: ClubTables?

    /// The whole configuration, its database named by the environment variable `databaseVariable`.
    func yaml(databaseVariable: String) -> String {
        var lines = [
            "server:",
            "  listen: { host: 127.0.0.1, port: 0 }",
            "  event_loops: 2",
            "  heartbeat_interval: 500ms",
        ]
        if let reconnectGrace { lines.append("  reconnect_grace: \(reconnectGrace)") }
        lines += [
            "  hand_pause: \(handPause)",
            "  ws_message_rate: 50/s",
            "database:",
            "  url_env: \(databaseVariable)",
            "  max_connections: 12",
            "defaults:",
            "  limits:",
            "    login_rate: 1000/1m",
            "    register_rate: 1000/1m",
            "  table_type:",
            "    variant: nlhe",
            "    blinds: { small: 5, big: 10 }",
            "    buy_in: { min: 200, max: 2000 }",
            "    seats: 6",
            "    action_timeout: 30s",
            "    time_bank: 0s",
            "    rake: \(rake)",
            "tenants:",
        ]
        lines += Self.tenant("aces", startingBalance: 10000, aces)
        if let kings { lines += Self.tenant("kings", startingBalance: 7000, kings) }
        return lines.joined(separator: "\n") + "\n"
    }

    private static func tenant(_ id: String, startingBalance: Int, _ club: ClubTables) -> [String] {
        [
            "  - id: \(id)",
            "    hosts: [\(id).test]",
            "    jwt:",
            "      issuer: https://\(id).test",
            "      keys:",
            "        - { kid: \(id)-1, alg: HS256, secret_file: \(id).secret }",
            "    wallet: { starting_balance: \(startingBalance) }",
            "    table_types:",
        ] + club.tableTypes.map { "      - \($0)" } + ["    tables:"] + club.tables.map { "      - \($0)" }
    }
}
