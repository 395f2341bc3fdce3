/// Where and how to connect to PostgreSQL: either a libpq connection string / URL, or the
/// parts of a Unix-socket connection (the embedded cluster's case).
public struct PostgresConnectionInfo: Sendable, Equatable {
    /// A libpq keyword/value string or `postgresql://` URL.
    public var conninfo: String
    private var socket: SocketParts?

    private struct SocketParts: Sendable, Equatable {
        var directory: String
        var port: Int
        var database: String
        var user: String
        var password: String?
    }

    /// Wraps a libpq connection string or `postgresql://…` URL as given.
    public init(conninfo: String) {
        self.conninfo = conninfo
        self.socket = nil
    }

    /// A Unix-socket connection: `host` names the socket directory, `port` the socket file.
    public init(socketDirectory: String, port: Int, database: String, user: String, password: String? = nil) {
        var parts = [
            Self.pair("host", socketDirectory), Self.pair("port", String(port)),
            Self.pair("dbname", database), Self.pair("user", user),
        ]
        if let password { parts.append(Self.pair("password", password)) }
        self.conninfo = parts.joined(separator: " ")
        self.socket = SocketParts(directory: socketDirectory, port: port, database: database, user: user, password: password)
    }

    /// The same server and credentials with another database name.
    public func withDatabase(_ database: String) -> PostgresConnectionInfo {
        if let socket {
            return PostgresConnectionInfo(socketDirectory: socket.directory, port: socket.port, database: database,
                                          user: socket.user, password: socket.password)
        }
        return PostgresConnectionInfo(conninfo: adding([("dbname", database)]))
    }

    /// A `postgresql://` URL for this connection (for handing to a child process or a
    /// configuration file): the URL itself when given one, else built from the socket parts.
    public var url: String? {
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") { return conninfo }
        guard let socket else { return nil }
        var query = ["host=" + Self.percentEncode(socket.directory), "port=\(socket.port)", "user=" + Self.percentEncode(socket.user)]
        if let password = socket.password { query.append("password=" + Self.percentEncode(password)) }
        return "postgresql:///" + Self.percentEncode(socket.database) + "?" + query.joined(separator: "&")
    }

    /// `conninfo` with extra keyword/value settings appended (later keywords win in libpq).
    ///
    /// For URLs the settings go after the URL's own parameters (libpq accepts a URL only as the
    /// whole string), so they are appended as query parameters instead.
    func adding(_ settings: [(String, String)]) -> String {
        if settings.isEmpty { return conninfo }
        if conninfo.hasPrefix("postgresql://") || conninfo.hasPrefix("postgres://") {
            let separator = conninfo.contains("?") ? "&" : "?"
            let query = settings.map { "\($0.0)=\(Self.percentEncode($0.1))" }.joined(separator: "&")
            return conninfo + separator + query
        }
        return ([conninfo] + settings.map { Self.pair($0.0, $0.1) }).joined(separator: " ")
    }

    /// `key='value'` with quotes and backslashes escaped as libpq requires.
    static func pair(_ key: String, _ value: String) -> String {
        var escaped = ""
        for character in value {
            if character == "'" || character == "\\" { escaped.append("\\") }
            escaped.append(character)
        }
        return "\(key)='\(escaped)'"
    }

    static func percentEncode(_ value: String) -> String {
        var out = ""
        for byte in value.utf8 {
            let c = Character(Unicode.Scalar(byte))
            if (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || c == "-" || c == "_" || c == "." || c == "~" {
                out.append(c)
            } else {
                out += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return out
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
