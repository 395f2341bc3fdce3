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
            try? await Task.sleep(for: .milliseconds(10))
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

/// What the server's loops share: settings, the resolver, counters and the
/// per-address connection counts. Held strongly by the server and each loop's state
/// (no reference cycle), so in-flight tasks never outlive what they use.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let resolve: @Sendable (String?) -> Router?
    let addressCounts = Locked<[String: Int]>([:])
    let requestIDPrefix: String
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, resolve: @escaping @Sendable (String?) -> Router?) {
        self.configuration = configuration
        self.resolve = resolve
        requestIDPrefix = String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 16)
    }

    func admit(ip: String) -> Bool {
        addressCounts.withLock { counts in
            let count = counts[ip, default: 0]
            if count >= configuration.maxConnectionsPerAddress { return false }
            counts[ip] = count + 1
            return true
        }
    }

    func release(ip: String) {
        addressCounts.withLock { counts in
            let count = counts[ip, default: 1] - 1
            counts[ip] = count <= 0 ? nil : count
        }
    }
}

/// Per-loop server state: the listener, the loop's connections, cached `Date`, the
/// read buffer and the deadline sweep. Confined to its loop.
final class LoopState: EventLoopSelectable, @unchecked Sendable {
    // @unchecked Sendable: every mutable field is touched only on `loop`'s thread;
    // other threads reach it through `loop.execute`. `requestsServed` is atomic.
    let loop: EventLoop
    let core: ServerCore
    var listenerFD: Int32 = -1
    var connections: [Int32: Connection] = [:]
    var dateCache = HTTPDateCache()
    let readBuffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    var requestCounter: UInt64 = 0
    let requestsServed = Atomic<UInt64>(0)
    var sweepTimer: EventLoopTimer?

    init(loop: EventLoop, core: ServerCore) {
        self.loop = loop
        self.core = core
    }

    deinit { readBuffer.deallocate() }

    var configuration: ServerConfiguration { core.configuration }

    func startListening(fd: Int32) {
        listenerFD = fd
        do {
            try loop.register(fd: fd, self, events: EPOLLIN.rawValue)
        } catch {
            close(fd)
            listenerFD = -1
            return
        }
        scheduleSweep()
    }

    /// Accepts pending connections.
    func handleEvents(_ events: UInt32) {
        for _ in 0..<64 {
            guard listenerFD >= 0, let (fd, ip, port) = Socket.accept(listenerFD) else { return }
            guard core.admit(ip: ip) else {
                let body = "{\"error\":\"too many connections from this address\",\"code\":\"too_many_connections\"}"
                let refusal = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n" + body
                _ = Array(refusal.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                close(fd)
                continue
            }
            let connection = Connection(fd: fd, state: self, ip: ip, port: port)
            do {
                try loop.register(fd: fd, connection, events: EPOLLIN.rawValue)
            } catch {
                close(fd)
                core.release(ip: ip)
                continue
            }
            connections[fd] = connection
            core.openConnections.add(1, ordering: .relaxed)
        }
    }

    func forget(_ connection: Connection) {
        if connections[connection.fd] === connection { connections[connection.fd] = nil }
        core.openConnections.subtract(1, ordering: .relaxed)
        core.release(ip: connection.ip)
    }

    /// The next generated request id.
    func nextRequestID() -> String {
        requestCounter &+= 1
        return core.requestIDPrefix + "-" + String(loop.index) + "-" + String(requestCounter, radix: 16)
    }

    private func scheduleSweep() {
        sweepTimer = loop.schedule(after: configuration.sweepInterval) { [self] in
            self.sweep()
            self.scheduleSweep()
        }
    }

    private func sweep() {
        let now = MonotonicClock.nanoseconds()
        var expired: [Connection] = []
        var webSockets: [Connection] = []
        for connection in connections.values {
            if connection.deadline != 0 && connection.deadline <= now { expired.append(connection) }
            if connection.mode == .webSocket { webSockets.append(connection) }
        }
        for connection in expired { connection.deadlineExpired(now: now) }
        for connection in webSockets { connection.webSocketSweep(now: now) }
    }

    func beginDrain() {
        if listenerFD >= 0 {
            loop.deregister(fd: listenerFD)
            close(listenerFD)
            listenerFD = -1
        }
        for connection in Array(connections.values) { connection.drain() }
    }

    func closeAll() {
        for connection in Array(connections.values) { connection.closeNow() }
        sweepTimer?.cancel()
    }
}
