import Foundation

/// A child process started with `posix_spawn`, its stdout and stderr going to one log file.
///
/// Tests use it for long-running children (`felt serve`, Python clients) instead of
/// Foundation's `Process` + `Pipe` + `readabilityHandler`, whose dispatch sources crashed the
/// test process in libdispatch's event loop when several children came and went at once.
/// The child runs in its own process group.
public final class SpawnedProcess: @unchecked Sendable {
    // @unchecked Sendable: `exitStatus` is only touched under `lock`; the rest never changes.
    /// The child's process id.
    public let pid: pid_t
    /// The file holding everything the child wrote.
    public let logPath: String
    private let lock = NSLock()
    private var exitStatus: Int32?

    /// Starts `executable` (a path, or a name looked up through `/usr/bin/env`) with
    /// `arguments`; `environment` is added to this process's own.
    public init(_ executable: String, _ arguments: [String], environment: [String: String] = [:],
                currentDirectory: URL? = nil, logPath: String? = nil) throws {
        let path = logPath ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("felt-child-\(UUID().uuidString.prefix(8)).log").path
        self.logPath = path
        let logFD = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard logFD >= 0 else { throw ProcessLaunchError(message: "cannot create \(path): errno \(errno)") }
        defer { close(logFD) }

        pid = try spawnChild(executable, arguments, environment: environment, currentDirectory: currentDirectory,
                             stdin: nil, stdout: logFD, stderr: logFD)
    }

    /// Everything the child wrote so far.
    public var output: String {
        (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    }

    /// Whether the child is still running (reaps it when it has ended).
    public var isRunning: Bool { poll() == nil }

    /// The exit status once it ended: the exit code, or 128 + the signal number.
    public var terminationStatus: Int32? { poll() }

    private func poll(blocking: Bool = false) -> Int32? {
        lock.withLock {
            if let exitStatus { return exitStatus }
            var status: Int32 = 0
            while true {
                let result = waitpid(pid, &status, blocking ? 0 : WNOHANG)
                if result == pid {
                    let decoded = WaitStatus(raw: status)
                    exitStatus = decoded.signal.map { 128 + $0 } ?? decoded.exitCode
                    return exitStatus
                }
                if result < 0 && errno == EINTR { continue }
                if result < 0 { exitStatus = -1; return exitStatus }
                return nil
            }
        }
    }

    /// Sends `signal` to the child.
    public func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits until the child has ended; returns its status.
    @discardableResult
    public func waitUntilExit() -> Int32 { poll(blocking: true) ?? -1 }

    /// SIGTERM, waits up to `grace`, then SIGKILL to the whole group; returns the status.
    public func stop(grace: TimeInterval = 30) async -> Int32 {
        send(SIGTERM)
        let deadline = Date().addingTimeInterval(grace)
        while isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if isRunning { kill(-pid, SIGKILL); kill(pid, SIGKILL) }
        return waitUntilExit()
    }
}
