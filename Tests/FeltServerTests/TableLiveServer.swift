import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// A real `felt serve` child for the live-table tests: ephemeral port, a temporary
/// configuration with two clubs (the tables `Tests/python/live_tables.py` expects) and a
/// fresh database on the shared test cluster (`database.url_env`). Can be killed with
/// SIGKILL and restarted on the same database.
final class TableLiveServer: @unchecked Sendable {
    // @unchecked Sendable: `output`, `process` and `currentPort` are only touched under `lock`;
    // `folder` and `database` never change after init.
    let folder: URL
    let database: PostgresConnectionInfo
    private let lock = NSLock()
    private var output = Data()
    private var process: Process?
    private var currentPort = 0

    var port: Int { lock.withLock { currentPort } }
    var configPath: String { folder.appendingPathComponent("felt.yaml").path }
    var log: String { lock.withLock { String(decoding: output, as: UTF8.self) } }

    init() async throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-live-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for name in ["aces.secret", "kings.secret"] {
            try Data((0..<48).map { _ in UInt8.random(in: 65...90) }).write(to: folder.appendingPathComponent(name))
        }
        try Data("open sesame".utf8).write(to: folder.appendingPathComponent("vip.passphrase"))
        try Data(Self.yaml.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
        database = try await TestPostgres.shared.makeDatabase(prefix: "live")
        try await start()
    }

    private var environment: [String: String] {
        ProcessInfo.processInfo.environment.merging(["FELT_LIVE_DATABASE_URL": database.conninfo]) { $1 }
    }

    /// Starts `felt serve` and waits for its ready line.
    func start() async throws {
        let process = Process()
        process.executableURL = TestEnvironment.feltExecutable
        process.arguments = ["serve", "--config", configPath, "--port", "0", "--test-scrypt-log-n", "10"]
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let marker = lock.withLock { () -> Int in
            self.process = process
            currentPort = 0
            return output.count
        }
        let sink: @Sendable (Data) -> Void = { [weak self] data in
            guard let self else { return }
            self.lock.withLock { self.output.append(data) }
        }
        out.fileHandleForReading.readabilityHandler = { sink($0.availableData) }
        err.fileHandleForReading.readabilityHandler = { sink($0.availableData) }
        try process.run()
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline, process.isRunning {
            let text = lock.withLock { String(decoding: output.suffix(from: marker), as: UTF8.self) }
            if let range = text.range(of: "felt ready on http://127.0.0.1:"),
               let found = Int(text[range.upperBound...].prefix { $0.isNumber }) {
                lock.withLock { currentPort = found }
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw LiveServerError("felt serve did not become ready:\n\(log)")
    }

    /// Runs one scenario of `Tests/python/live_tables.py`.
    func scenario(_ name: String, state: String? = nil, killingServer: Bool = false) throws -> ProcessResult {
        var arguments = [TestEnvironment.pythonTests.appendingPathComponent("live_tables.py").path, name, "--port", String(port)]
        if let state { arguments += ["--state", state] }
        if killingServer, let pid = lock.withLock({ process?.processIdentifier }) { arguments += ["--kill-pid", String(pid)] }
        return try runProcess("python3", arguments, timeout: 120)
    }

    /// Waits for the server process to end (after a client killed it).
    func waitForExit() {
        lock.withLock { process }?.waitUntilExit()
    }

    /// SIGKILL: no shutdown code runs.
    func killNine() {
        guard let process = lock.withLock({ self.process }) else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM and wait; the exit status.
    func stop() async -> Int32 {
        guard let process = lock.withLock({ self.process }) else { return -1 }
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(30)
            while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        process.waitUntilExit()
        return process.terminationStatus
    }

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

struct LiveServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
