import CLibPQ
import Dispatch
import Foundation

/// A PostgreSQL cluster owned by Felt: created on first start in its folder, started on a
/// private Unix socket only (no TCP), stopped on shutdown, and reused by the next start.
///
/// All process work (`initdb`, `pg_ctl`, readiness polling) runs on a private serial Dispatch
/// queue, so `start()` and `stop()` never block an event loop or the cooperative pool.
/// When the process runs as root, the cluster belongs to and runs as `systemUser`.
public final class EmbeddedPostgres: Sendable {
    /// The settings this cluster was made with.
    public let configuration: EmbeddedPostgresConfiguration
    private let queue = DispatchQueue(label: "felt.embedded-postgres")
    let log: @Sendable (String) -> Void

    /// A cluster handle; nothing happens until `start()`.
    ///
    /// Relative folders are resolved against the current directory now, so the cluster stays
    /// the same whatever the working directory of later tools is.
    public init(configuration: EmbeddedPostgresConfiguration, log: @escaping @Sendable (String) -> Void = { _ in }) {
        var resolved = configuration
        resolved.directory = URL(fileURLWithPath: configuration.directory).standardizedFileURL.path
        if let socket = configuration.socketDirectory {
            resolved.socketDirectory = URL(fileURLWithPath: socket).standardizedFileURL.path
        }
        if let bin = configuration.binDirectory {
            resolved.binDirectory = URL(fileURLWithPath: bin).standardizedFileURL.path
        }
        self.configuration = resolved
        self.log = log
    }

    /// How to reach the cluster as its superuser.
    public func connectionInfo(database: String = "postgres") -> PostgresConnectionInfo {
        PostgresConnectionInfo(socketDirectory: configuration.resolvedSocketDirectory, port: configuration.port,
                               database: database, user: configuration.superuser)
    }

    /// Creates the cluster if needed, starts it (or adopts the one already running from this
    /// folder) and returns once it accepts connections.
    public func start() async throws(EmbeddedPostgresError) {
        try await onQueue { () throws(EmbeddedPostgresError) in try self.startBlocking() }
    }

    /// Stops the cluster (`pg_ctl stop -m fast`); stopping a stopped cluster is not an error.
    public func stop() async throws(EmbeddedPostgresError) {
        try await onQueue { () throws(EmbeddedPostgresError) in try self.stopBlocking(mode: "fast") }
    }

    /// Stops the cluster on the calling thread; for exit handlers, where nothing else runs.
    public func stopSynchronously(mode: String = "fast") throws(EmbeddedPostgresError) {
        try stopBlocking(mode: mode)
    }

    /// Whether a server started from this data directory is running and answering.
    public func isRunning() async -> Bool {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: self.ping(timeoutSeconds: 2) == PQPING_OK) }
        }
    }

    private func onQueue(_ work: @escaping @Sendable () throws(EmbeddedPostgresError) -> Void) async throws(EmbeddedPostgresError) {
        let result: Result<Void, EmbeddedPostgresError> = await withCheckedContinuation { continuation in
            queue.async {
                do throws(EmbeddedPostgresError) {
                    try work()
                    continuation.resume(returning: .success(()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        try result.get()
    }

    // MARK: Blocking steps (private queue or exit handler only)

    var runAsUser: String? { getuid() == 0 ? configuration.systemUser : nil }

    private func startBlocking() throws(EmbeddedPostgresError) {
        let bin = try resolvedBinDirectory()
        try prepareDirectories()
        try initializeIfNeeded(bin: bin)
        try writeSettings()
        if try handleExistingPidFile(bin: bin) { return }
        try startServer(bin: bin)
    }

    private func startServer(bin: String) throws(EmbeddedPostgresError) {
        var attempt = 0
        while true {
            attempt += 1
            let result = try ChildProcess.run(
                bin + "/pg_ctl",
                ["start", "-w", "-s", "-t", String(Int(configuration.startTimeout.rounded(.up))),
                 "-D", configuration.dataDirectory, "-l", configuration.logFile],
                asUser: runAsUser, currentDirectory: configuration.directory)
            if result.status == 0 { break }
            let logTail = Self.tail(of: configuration.logFile)
            // Orphaned backends of a killed postmaster hold the old shared memory for a moment.
            if attempt < 20 && logTail.contains("pre-existing shared memory block") {
                log("embedded postgres: previous server's processes still exiting, retrying start")
                Thread.sleep(forTimeInterval: 0.25)
                continue
            }
            throw EmbeddedPostgresError(.startFailed, "pg_ctl start failed (\(result.status)): \(result.output)\n\(logTail)")
        }
        let deadline = Date().addingTimeInterval(configuration.startTimeout)
        while ping(timeoutSeconds: 2) != PQPING_OK {
            if Date() > deadline {
                throw EmbeddedPostgresError(.startFailed, "server did not accept connections within \(configuration.startTimeout)s\n"
                                            + Self.tail(of: configuration.logFile))
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        log("embedded postgres: accepting connections on \(configuration.resolvedSocketDirectory) port \(configuration.port)")
    }

    private func stopBlocking(mode: String) throws(EmbeddedPostgresError) {
        let pidFile = configuration.dataDirectory + "/postmaster.pid"
        guard FileManager.default.fileExists(atPath: pidFile) else { return }
        let bin = try resolvedBinDirectory()
        let result = try ChildProcess.run(bin + "/pg_ctl", ["stop", "-w", "-s", "-m", mode, "-D", configuration.dataDirectory],
                                          asUser: runAsUser, currentDirectory: configuration.directory)
        if result.status != 0 {
            // A stale pid file (server already gone) is not a failure to stop.
            if let pid = Self.readPidFile(pidFile)?.pid, !Self.processExists(pid) { return }
            throw EmbeddedPostgresError(.stopFailed, "pg_ctl stop failed (\(result.status)): \(result.output)")
        }
        log("embedded postgres: stopped")
    }

    func resolvedBinDirectory() throws(EmbeddedPostgresError) -> String {
        if let bin = configuration.binDirectory { return bin }
        return try Self.findBinDirectory()
    }

    func ping(timeoutSeconds: Int) -> PGPing {
        let conninfo = connectionInfo().adding([("connect_timeout", String(timeoutSeconds))])
        return PQping(conninfo)
    }
}
