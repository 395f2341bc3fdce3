/// Why the embedded cluster could not be created, started or stopped.
public struct EmbeddedPostgresError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable codes.
    public enum Code: String, Sendable, Equatable {
        /// No `/usr/lib/postgresql/<version>/bin` with `initdb`, `pg_ctl` and `postgres`.
        case binariesNotFound = "postgres_binaries_not_found"
        /// A folder could not be created, owned or made traversable.
        case filesystem = "postgres_filesystem"
        /// The data directory exists but is not a cluster, or belongs to another major version.
        case incompatibleDataDirectory = "postgres_incompatible_data_directory"
        /// `initdb` failed.
        case initdbFailed = "postgres_initdb_failed"
        /// `pg_ctl start` failed or the server never accepted connections.
        case startFailed = "postgres_start_failed"
        /// `pg_ctl stop` failed.
        case stopFailed = "postgres_stop_failed"
        /// The unprivileged system user is missing and could not be created.
        case systemUser = "postgres_system_user"
    }

    /// The stable code.
    public var code: Code
    /// What went wrong, including the tool's output where it helps.
    public var message: String

    /// Makes an error.
    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// `code: message`.
    public var description: String { "\(code.rawValue): \(message)" }
}
