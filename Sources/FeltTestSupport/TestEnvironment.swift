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
/// `timeout` kills the process (SIGKILL) when exceeded, so a hung child fails a test
/// instead of hanging the suite.
public func runProcess(_ executable: String, _ arguments: [String], input: String? = nil,
                       environment: [String: String]? = nil, currentDirectory: URL? = nil,
                       timeout: TimeInterval = 600) throws -> ProcessResult {
    let process = Process()
    if executable.contains("/") {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
    } else {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [executable] + arguments
    }
    if let environment {
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
    process.standardOutput = outPipe
    process.standardError = errPipe
    process.standardInput = inPipe
    try process.run()
    let collector = OutputCollector()
    let group = DispatchGroup()
    for (pipe, isOut) in [(outPipe, true), (errPipe, false)] {
        group.enter()
        DispatchQueue.global().async {
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            collector.set(data, stdout: isOut)
            group.leave()
        }
    }
    if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
    try? inPipe.fileHandleForWriting.close()
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning {
        if Date() > deadline { kill(process.processIdentifier, SIGKILL); break }
        Thread.sleep(forTimeInterval: 0.01)
    }
    process.waitUntilExit()
    group.wait()
    return ProcessResult(status: process.terminationStatus,
                         signaled: process.terminationReason == .uncaughtSignal,
                         stdout: collector.stdout, stderr: collector.stderr)
}

/// Thread-safe sink for a child's two output streams.
final class OutputCollector: @unchecked Sendable {
    // @unchecked Sendable: every access to the two fields goes through `lock`.
    private let lock = NSLock()
    private var out = Data(), err = Data()
    func set(_ data: Data, stdout: Bool) { lock.withLock { if stdout { out = data } else { err = data } } }
    var stdout: String { lock.withLock { String(decoding: out, as: UTF8.self) } }
    var stderr: String { lock.withLock { String(decoding: err, as: UTF8.self) } }
}
