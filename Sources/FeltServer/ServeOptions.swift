import FeltAuth

/// How `felt serve` (or a test or benchmark) starts the server, beyond the configuration.
public struct ServeOptions: Sendable {
    /// Overrides `server.listen.port` (0: an ephemeral port, reported by `FeltServerApp.port`).
    public var port: Int?
    /// Overrides `database.embedded.data_dir`.
    public var dataDirectory: String?
    /// scrypt parameters for new password hashes. Production always uses `.standard`;
    /// only the explicitly test-only `--test-scrypt-log-n` option lowers it.
    public var scrypt: ScryptParameters = .standard
    /// Tenants migrated at once.
    public var migrationConcurrency = 4
    /// Where log lines go.
    public var log: ServerLog = .standardError

    /// Defaults: configured port and data folder, standard scrypt.
    public init() {}
}

/// Why the server could not start.
public struct ServeError: Error, Sendable, CustomStringConvertible {
    /// Stable code: `database_start_failed`, `database_unavailable`, `listen_failed`, `invalid_scrypt`.
    public let code: String
    /// Explanation.
    public let message: String

    /// An error.
    public init(_ code: String, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(code): \(message)" }
}
