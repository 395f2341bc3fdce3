/// The conformance-test echo endpoint: a server that upgrades any path on any host
/// and echoes every message. Only test code and the `--autobahn-echo` test flag use it.
public enum AutobahnEcho {
    /// A router whose every path (up to four segments) is a WebSocket echo.
    public static var router: Router {
        var router = Router()
        router.webSocket("/") { _, _ in .accept(.echo) }
        for depth in 1...4 {
            let pattern = "/" + (0..<depth).map { "{p\($0)}" }.joined(separator: "/")
            router.webSocket(pattern) { _, _ in .accept(.echo) }
        }
        return router
    }

    /// An echo server on `host:port` (port 0 picks one) with Autobahn-sized limits:
    /// messages up to 16 MiB (section 9 sends up to 16 MiB) and a larger outbound buffer.
    public static func makeServer(host: String = "127.0.0.1", port: Int, group: EventLoopGroup) -> HTTPServer {
        var configuration = ServerConfiguration()
        configuration.host = host
        configuration.port = port
        configuration.maxWebSocketMessageBytes = 16 * 1024 * 1024 + 1024
        configuration.maxOutboundBytes = 64 * 1024 * 1024
        let echo = router
        return HTTPServer(configuration: configuration, group: group) { _ in echo }
    }
}
