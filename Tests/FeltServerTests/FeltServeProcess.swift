import FeltTestSupport
import Foundation

/// One real `felt` child process (usually `felt serve`) shared by the server test harnesses:
/// starts it (posix_spawn, output to a log file), waits for the
/// `felt ready on http://127.0.0.1:PORT` line, and stops it with SIGTERM or SIGKILL. It can
/// be started again after it ended; the log keeps every run's output.
final class FeltServeProcess: @unchecked Sendable {
    // @unchecked Sendable: `process` and `currentPort` are only touched under `lock`; the
    // other stored properties never change after init.
    let arguments: [String]
    let environment: [String: String]
    let currentDirectory: URL?
    let logPath: String
    private let lock = NSLock()
    private var process: SpawnedProcess?
    private var currentPort = 0

    /// Prepares `felt ARGUMENTS` with `environment` added to this process's own.
    init(arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.currentDirectory = currentDirectory
        logPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("felt-serve-\(UUID().uuidString.prefix(8)).log").path
    }

    deinit { try? FileManager.default.removeItem(atPath: logPath) }

    /// The port of the running server (0 before it is ready).
    var port: Int { lock.withLock { currentPort } }
    /// Everything the processes wrote so far (stdout and stderr interleaved).
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }
    /// The running process's id, if started.
    var pid: Int32? { lock.withLock { process?.pid } }

    /// Starts the process and waits (at most `timeout`) for its ready line.
    func start(timeout: TimeInterval = 120) async throws {
        let marker = log.utf8.count
        let process = try SpawnedProcess(TestEnvironment.feltExecutable.path, arguments, environment: environment,
                                         currentDirectory: currentDirectory, logPath: logPath)
        lock.withLock {
            self.process = process
            currentPort = 0
        }
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning {
            let text = String(decoding: Array(log.utf8).dropFirst(marker), as: UTF8.self)
            if let found = Self.readyPort(in: text) {
                lock.withLock { currentPort = found }
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { process.send(SIGKILL) }
        process.waitUntilExit()
        throw HarnessError("felt \(arguments.first ?? "") did not become ready:\n\(log)")
    }

    /// Waits for the process to end (after something else killed it).
    func waitForExit() {
        lock.withLock { process }?.waitUntilExit()
    }

    /// SIGKILL: no shutdown code runs.
    func killNine() {
        guard let process = lock.withLock({ self.process }) else { return }
        process.send(SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits (SIGKILL after 30 s); returns the exit status (-1 if never started).
    func stop() async -> Int32 {
        guard let process = lock.withLock({ self.process }) else { return -1 }
        return await process.stop(grace: 30)
    }

    /// The port of the `felt ready on http://127.0.0.1:PORT` line, if printed yet.
    static func readyPort(in log: String) -> Int? {
        guard let range = log.range(of: "felt ready on http://127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }
}
