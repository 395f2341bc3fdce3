import CLinuxSys
import Foundation
import Glibc
import Synchronization

/// The HTTP/1.1 + WebSocket front: one listening socket per loop (`SO_REUSEPORT`),
/// tenant resolution from `Host`, routing, deadlines, limits and graceful shutdown.
///
/// The layer above supplies the host map and a ``Router`` per resolved value:
/// ```swift
/// let hosts = HostRouter(["aces.example.com": "aces"])
/// let server = HTTPServer(configuration: config, group: group, hosts: hosts) { tenant in routers[tenant] ?? Router() }
/// try server.start()
/// ```
/// `GET /healthz` answers on any host; an unknown or missing host gets 404 `unknown_tenant`.
public final class HTTPServer: Sendable {
    /// The settings in force.
    public let configuration: ServerConfiguration
    /// The loops serving connections.
    public let group: EventLoopGroup
    let core: ServerCore
    let states: [LoopState]
    private let boundPort = Atomic<Int>(0)
    private let started = Atomic<Bool>(false)

    /// A server whose routes depend on the tenant resolved from `Host` through `hosts`.
    public convenience init<Tenant: Sendable>(configuration: ServerConfiguration, group: EventLoopGroup,
                                              hosts: HostRouter<Tenant>,
                                              router: @escaping @Sendable (Tenant) -> Router?) {
        self.init(configuration: configuration, group: group) { host in
            guard let host, let tenant = hosts.lookup(normalized: host) else { return nil }
            return router(tenant)
        }
    }

    /// A server with a custom resolver from the normalized host (nil when the request
    /// has none) to a router; returning nil answers 404 `unknown_tenant`.
    public init(configuration: ServerConfiguration, group: EventLoopGroup,
                resolve: @escaping @Sendable (_ normalizedHost: String?) -> Router?) {
        self.configuration = configuration
        self.group = group
        let core = ServerCore(configuration: configuration, resolve: resolve)
        self.core = core
        states = group.loops.map { LoopState(loop: $0, core: core) }
    }

    /// The bound port (useful with port 0); 0 before ``start()``.
    public var port: Int { boundPort.load(ordering: .acquiring) }

    /// Open connections (HTTP and WebSocket) across all loops.
    public var connectionCount: Int { core.openConnections.load(ordering: .relaxed) }

    /// Requests answered so far (all loops).
    public var requestCount: UInt64 {
        states.reduce(0) { $0 + $1.requestsServed.load(ordering: .relaxed) }
    }

    /// Binds one listening socket per loop and starts accepting.
    public func start() throws(NetworkError) {
        guard !started.exchange(true, ordering: .acquiringAndReleasing) else {
            throw NetworkError(code: "already_started", message: "the server is already started")
        }
        var port = configuration.port
        var listeners: [Int32] = []
        for _ in states {
            do {
                let (fd, actual) = try Socket.listen(host: configuration.host, port: port, backlog: configuration.backlog)
                listeners.append(fd)
                port = actual
            } catch {
                for fd in listeners { close(fd) }
                throw error
            }
        }
        boundPort.store(port, ordering: .releasing)
        for (state, fd) in zip(states, listeners) {
            state.loop.execute { state.startListening(fd: fd) }
        }
    }

    /// Graceful shutdown: stop accepting, let in-flight requests finish (their responses
    /// carry `Connection: close`), close idle connections, send WebSocket close 1001,
    /// then wait up to `timeout` for every connection to end before cutting the rest.
    /// The loops keep running (shut the group down afterwards).
    public func shutdown(timeout: Duration = .seconds(10)) async {
        core.draining.store(true, ordering: .releasing)
        for state in states { state.loop.execute { state.beginDrain() } }
        let deadline = MonotonicClock.nanoseconds() &+ timeout.nanosecondsClamped
        while connectionCount > 0 && MonotonicClock.nanoseconds() < deadline {
            // The loop's own timer, not Task.sleep: shutdown must not wait on a busy
            // cooperative pool for its wake-ups.
            try? await group.loops[0].sleep(for: .milliseconds(10))
        }
        for state in states {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                state.loop.execute {
                    state.closeAll()
                    continuation.resume()
                }
            }
        }
    }

}
