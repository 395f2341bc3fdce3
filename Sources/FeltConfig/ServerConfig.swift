/// The `server:` section: the shared HTTP/WebSocket front and process-wide timers.
public struct ServerConfig: Sendable, Equatable {
    /// `server.listen.host` (default `0.0.0.0`).
    public let listenHost: String
    /// `server.listen.port` (default 8080).
    public let listenPort: Int
    /// `server.event_loops` (default: the number of active processor cores).
    public let eventLoops: Int
    /// `server.base_domain` (default `felt.localhost`), normalised.
    public let baseDomain: String
    /// The admin API token from `server.admin_token_env` / `admin_token_file`; `nil` disables the admin API.
    public let adminToken: SecretValue?
    /// `server.heartbeat_interval` (default 1s).
    public let heartbeatInterval: ConfigDuration
    /// `server.max_body` in bytes (default 1 MiB).
    public let maxBodyBytes: Int
    /// `server.reconnect_grace` (default 0s).
    public let reconnectGrace: ConfigDuration
    /// `server.hand_pause`: pause between hands (default 2s).
    public let handPause: ConfigDuration
    /// `server.sit_out_timeout` (default 5m).
    public let sitOutTimeout: ConfigDuration
    /// `server.ws_message_rate`: inbound WebSocket messages per connection (default 10/s).
    public let wsMessageRate: RateLimit

    /// Creates a server section.
    public init(listenHost: String, listenPort: Int, eventLoops: Int, baseDomain: String, adminToken: SecretValue?,
                heartbeatInterval: ConfigDuration, maxBodyBytes: Int, reconnectGrace: ConfigDuration,
                handPause: ConfigDuration, sitOutTimeout: ConfigDuration, wsMessageRate: RateLimit) {
        self.listenHost = listenHost
        self.listenPort = listenPort
        self.eventLoops = eventLoops
        self.baseDomain = baseDomain
        self.adminToken = adminToken
        self.heartbeatInterval = heartbeatInterval
        self.maxBodyBytes = maxBodyBytes
        self.reconnectGrace = reconnectGrace
        self.handPause = handPause
        self.sitOutTimeout = sitOutTimeout
        self.wsMessageRate = wsMessageRate
    }
}

/// The `database:` section.
public enum DatabaseConfig: Sendable, Equatable {
    /// A cluster Felt creates and runs itself; `dataDirectory` is as written in the file
    /// (a relative path is relative to the server's working directory).
    case embedded(dataDirectory: String)
    /// An external PostgreSQL server; the connection URL (or libpq conninfo) was read
    /// from `url_env` or `url_file`.
    case url(SecretValue)
}

/// The database section plus the connection budget.
public struct DatabaseSettings: Sendable, Equatable {
    /// Embedded or external.
    public let kind: DatabaseConfig
    /// `database.max_connections`: the process-wide connection budget (default 16).
    public let maxConnections: Int

    /// Creates database settings.
    public init(kind: DatabaseConfig, maxConnections: Int) {
        self.kind = kind
        self.maxConnections = maxConnections
    }
}
