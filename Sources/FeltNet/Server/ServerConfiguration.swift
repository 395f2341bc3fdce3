/// Settings of an ``HTTPServer``; every deadline is configurable so tests can use short ones.
public struct ServerConfiguration: Sendable {
    /// Address to bind (IPv4 dotted quad), default all interfaces.
    public var host: String = "0.0.0.0"
    /// Port to bind; 0 picks an ephemeral port (see ``HTTPServer/port``).
    public var port: Int = 8080
    /// Parser limits (request line, headers, body).
    public var limits = HTTPParserLimits()
    /// Time allowed to receive a request's head (and each stall of its body) → 408.
    public var headerTimeout: Duration = .seconds(10)
    /// Time an idle keep-alive connection is kept open.
    public var idleTimeout: Duration = .seconds(60)
    /// Most simultaneous connections from one client IP address; more are answered 503.
    public var maxConnectionsPerAddress: Int = 512
    /// Unsent bytes a connection may hold before the peer is deemed not to read and is closed.
    public var maxOutboundBytes: Int = 4 * 1024 * 1024
    /// How often each loop checks connection deadlines.
    public var sweepInterval: Duration = .milliseconds(250)
    /// Largest WebSocket message accepted (→ close 1009 beyond).
    public var maxWebSocketMessageBytes: Int = 64 * 1024
    /// A WebSocket idle this long is pinged.
    public var webSocketPingInterval: Duration = .seconds(30)
    /// A pinged WebSocket that sends nothing for this long is closed.
    public var webSocketPongTimeout: Duration = .seconds(10)
    /// How long a closing WebSocket waits for the peer's close frame.
    public var webSocketCloseTimeout: Duration = .seconds(3)
    /// Listen backlog per loop.
    public var backlog: Int32 = 1024

    /// Defaults: 8 KiB / 32 KiB / 100 fields / 1 MiB, 10 s headers, 60 s idle.
    public init() {}
}
