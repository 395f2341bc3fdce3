import FeltStore
import FeltTestSupport
import Foundation

/// A real `felt serve` child for the table tests: ephemeral port, a temporary configuration
/// with two clubs (`aces.secret`, `kings.secret` and `vip.passphrase` beside it), and a fresh
/// database on the shared test cluster reached through `database.url_env`. It can be killed
/// with SIGKILL and restarted on the same database. `TableLiveServer` and `E2EServer` only
/// add their configuration and their Python scenario script.
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

    /// Writes `yaml` and its secrets to a new folder, makes a database and starts the server.
    init(name: String, databaseVariable: String, yaml: String, script: String) async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for file in ["aces.secret", "kings.secret"] {
            try Data((0..<48).map { _ in UInt8.random(in: 65...90) }).write(to: folder.appendingPathComponent(file))
        }
        try Data("open sesame".utf8).write(to: folder.appendingPathComponent("vip.passphrase"))
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
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

    /// Runs the scenario script with `arguments` (the port is added).
    func runScript(_ arguments: [String], timeout: TimeInterval) async throws -> ProcessResult {
        try await runProcess("python3", [script] + arguments + ["--port", String(port)], timeout: timeout)
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
