import FeltTestSupport
import Foundation

/// One real `felt` child process (usually `felt serve`) shared by the server test harnesses:
/// starts it, collects stdout and stderr, waits for the `felt ready on http://127.0.0.1:PORT`
/// line, and stops it with SIGTERM or SIGKILL. It can be started again after it ended.
final class FeltServeProcess: @unchecked Sendable {
    // @unchecked Sendable: `output`, `process` and `currentPort` are only touched under
    // `lock`; the other stored properties never change after init.
    let arguments: [String]
    let environment: [String: String]
    let currentDirectory: URL?
    private let lock = NSLock()
    private var output = Data()
    private var process: Process?
    private var currentPort = 0

    /// Prepares `felt ARGUMENTS` with `environment` added to this process's own.
    init(arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil) {
        self.arguments = arguments
        self.environment = environment
        self.currentDirectory = currentDirectory
    }

    /// The port of the running server (0 before it is ready).
    var port: Int { lock.withLock { currentPort } }
    /// Everything the processes wrote so far (stdout and stderr interleaved).
    var log: String { lock.withLock { String(decoding: output, as: UTF8.self) } }
    /// The running process's id, if started.
    var pid: Int32? { lock.withLock { process?.processIdentifier } }

    /// Starts the process and waits (at most `timeout`) for its ready line.
    func start(timeout: TimeInterval = 120) async throws {
        let process = Process()
        process.executableURL = TestEnvironment.feltExecutable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        let marker = lock.withLock { () -> Int in
            self.process = process
            currentPort = 0
            return output.count
        }
        let sink: @Sendable (FileHandle) -> Void = { [weak self] handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil; return } // EOF
            guard let self else { return }
            self.lock.withLock { self.output.append(data) }
        }
        out.fileHandleForReading.readabilityHandler = sink
        err.fileHandleForReading.readabilityHandler = sink
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline, process.isRunning {
            let text = lock.withLock { String(decoding: output.suffix(from: marker), as: UTF8.self) }
            if let found = Self.readyPort(in: text) {
                lock.withLock { currentPort = found }
                return
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        throw HarnessError("felt \(arguments.first ?? "") did not become ready:\n\(log)")
    }

    /// Waits for the process to end (after something else killed it).
    func waitForExit() {
        lock.withLock { process }?.waitUntilExit()
    }

    /// SIGKILL: no shutdown code runs.
    func killNine() {
        guard let process = lock.withLock({ self.process }) else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, then waits (SIGKILL after 30 s); returns the exit status (-1 if never started).
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

    /// The port of the `felt ready on http://127.0.0.1:PORT` line, if printed yet.
    static func readyPort(in log: String) -> Int? {
        guard let range = log.range(of: "felt ready on http://127.0.0.1:") else { return nil }
        return Int(log[range.upperBound...].prefix { $0.isNumber })
    }
}
