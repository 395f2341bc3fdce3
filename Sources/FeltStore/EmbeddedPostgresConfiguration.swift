/// Settings of an embedded PostgreSQL cluster (plain values; the server maps its YAML onto them).
public struct EmbeddedPostgresConfiguration: Sendable, Equatable {
    /// Felt's folder for the cluster: the data directory is `<directory>/pgdata`, the server log
    /// `<directory>/postgres.log`, and by default the socket directory `<directory>/run`.
    public var directory: String
    /// Private directory for the Unix socket. `nil`: `<directory>/run`, or a folder under `/tmp`
    /// named after the data directory when that path would be too long for a socket.
    public var socketDirectory: String?
    /// The port number; with `listen_addresses = ''` it only names the socket file.
    public var port: Int
    /// Folder holding `initdb`, `pg_ctl` and `postgres`; `nil`: the highest version under
    /// `/usr/lib/postgresql/<version>/bin`.
    public var binDirectory: String?
    /// The cluster's superuser role (connections use it over the trusted local socket).
    public var superuser: String
    /// The unprivileged system account that owns and runs the cluster when Felt runs as root.
    public var systemUser: String
    /// How long to wait for the server to accept connections, in seconds.
    public var startTimeout: Double
    /// `false` trades crash safety for speed (fsync off): for throwaway test clusters only.
    public var durable: Bool
    /// Extra `postgresql.conf` settings written on every start (name → value, unquoted).
    public var settings: [String: String]

    /// Settings with the defaults described on each property.
    public init(directory: String, socketDirectory: String? = nil, port: Int = 5432,
                binDirectory: String? = nil, superuser: String = "postgres",
                systemUser: String = "postgres", startTimeout: Double = 60,
                durable: Bool = true, settings: [String: String] = [:]) {
        self.directory = directory
        self.socketDirectory = socketDirectory
        self.port = port
        self.binDirectory = binDirectory
        self.superuser = superuser
        self.systemUser = systemUser
        self.startTimeout = startTimeout
        self.durable = durable
        self.settings = settings
    }

    /// The cluster's data directory.
    public var dataDirectory: String { directory.removingTrailingSlash + "/pgdata" }
    /// The server log file.
    public var logFile: String { directory.removingTrailingSlash + "/postgres.log" }

    /// The socket directory actually used (see `socketDirectory`).
    public var resolvedSocketDirectory: String {
        if let socketDirectory { return socketDirectory.removingTrailingSlash }
        let preferred = directory.removingTrailingSlash + "/run"
        // sun_path holds 107 bytes plus the terminating zero.
        if (preferred + "/.s.PGSQL.\(port)").utf8.count <= 100 { return preferred }
        return "/tmp/felt-pg-" + String(fnv1a64(dataDirectory), radix: 16)
    }
}

extension String {
    var removingTrailingSlash: String {
        var text = self
        while text.count > 1 && text.hasSuffix("/") { text.removeLast() }
        return text
    }
}

/// FNV-1a, for short stable names derived from paths (not for security).
func fnv1a64(_ text: String) -> UInt64 {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in text.utf8 {
        hash ^= UInt64(byte)
        hash = hash &* 0x0000_0100_0000_01b3
    }
    return hash
}
