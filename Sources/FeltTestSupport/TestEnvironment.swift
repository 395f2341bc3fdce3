import Foundation

/// Paths and process helpers shared by the test targets (not part of the product).
public enum TestEnvironment {
    /// The package root (the folder holding `Package.swift`).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        return URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    }()

    /// The build products folder of the running test bundle (e.g. `.build/debug`).
    public static let productsDirectory: URL = {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var url = URL(fileURLWithPath: exe)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("felt").path) { return url }
        }
        return packageRoot.appendingPathComponent(".build/debug")
    }()

    /// The `felt` executable built alongside the tests.
    public static var feltExecutable: URL { productsDirectory.appendingPathComponent("felt") }

    /// Folder of the Python test clients and oracles.
    public static var pythonTests: URL { packageRoot.appendingPathComponent("Tests/python") }
}

/// The outcome of a finished child process.
public struct ProcessResult: Sendable {
    /// Exit status (or terminating signal number when `signaled`).
    public let status: Int32
    /// Whether the process was ended by a signal.
    public let signaled: Bool
    /// Everything it wrote to standard output.
    public let stdout: String
    /// Everything it wrote to standard error.
    public let stderr: String
}

/// Runs a program to completion, capturing its output; stdin gets `input` (or nothing).
///
/// Built on `posix_spawn` + `waitpid` rather than Foundation's `Process`, which crashed
/// ("Fatal access conflict") when several tests launched programs at the same time. Output
/// goes to unlinked temporary files, so a daemon that inherits them cannot block the call.
/// The child runs in its own process group; `timeout` kills the whole group (SIGKILL), so a
/// hung child fails a test instead of hanging the suite.
public func runProcess(_ executable: String, _ arguments: [String], input: String? = nil,
                       environment: [String: String]? = nil, currentDirectory: URL? = nil,
                       timeout: TimeInterval = 600) throws -> ProcessResult {
    let stdinFD = try temporaryFile(contents: Array((input ?? "").utf8))
    let stdoutFD = try temporaryFile(contents: [])
    let stderrFD = try temporaryFile(contents: [])
    defer { close(stdinFD); close(stdoutFD); close(stderrFD) }
    let pid = try spawnChild(executable, arguments, environment: environment ?? [:],
                             currentDirectory: currentDirectory, stdin: stdinFD, stdout: stdoutFD, stderr: stderrFD)

    let deadline = Date().addingTimeInterval(timeout)
    var status: Int32 = 0
    var killed = false
    while true {
        let result = waitpid(pid, &status, WNOHANG)
        if result == pid { break }
        if result < 0 && errno != EINTR { break }
        if !killed && Date() > deadline {
            kill(-pid, SIGKILL)
            kill(pid, SIGKILL)
            killed = true
        }
        usleep(5_000)
    }
    let decoded = WaitStatus(raw: status)
    return ProcessResult(status: decoded.signal ?? decoded.exitCode,
                         signaled: decoded.signal != nil,
                         stdout: readAll(stdoutFD), stderr: readAll(stderrFD))
}

/// A program could not be started.
public struct ProcessLaunchError: Error, CustomStringConvertible {
    /// What went wrong.
    public let message: String
    public var description: String { message }
}

/// An unlinked temporary file holding `contents`, positioned at its start.
private func temporaryFile(contents: [UInt8]) throws -> Int32 {
    var template = Array("/tmp/felt-test-XXXXXX".utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
        guard let base = buffer.baseAddress else { return -1 }
        return mkstemp(base)
    }
    guard fd >= 0 else { throw ProcessLaunchError(message: "cannot create a temporary file: errno \(errno)") }
    template.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { unlink(base) }
    }
    var offset = 0
    while offset < contents.count {
        let written = contents[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        if written <= 0 { break }
        offset += written
    }
    lseek(fd, 0, SEEK_SET)
    return fd
}

/// Everything in `fd` from its start.
private func readAll(_ fd: Int32) -> String {
    lseek(fd, 0, SEEK_SET)
    var data = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
        if count <= 0 { break }
        data += buffer[0..<count]
    }
    return String(decoding: data, as: UTF8.self)
}

/// `runProcess` awaited from async code: the child is waited for on a thread of its own.
///
/// Swift's cooperative pool has one thread per core (two here); a test that waited for a
/// child on it (a Python scenario can take a minute) stalled every other async test of the
/// parallel suite (sleeps and timeouts fired tens of seconds late). In an async context this
/// overload is the one chosen, so waiting never holds a pool thread.
public func runProcess(_ executable: String, _ arguments: [String], input: String? = nil,
                       environment: [String: String]? = nil, currentDirectory: URL? = nil,
                       timeout: TimeInterval = 600) async throws -> ProcessResult {
    try await onOwnThread {
        try runProcess(executable, arguments, input: input, environment: environment,
                       currentDirectory: currentDirectory, timeout: timeout)
    }
}

/// Runs blocking `body` on a new thread and resumes with its result.
public func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
        }
        thread.stackSize = 1 << 20
        thread.start()
    }
}
