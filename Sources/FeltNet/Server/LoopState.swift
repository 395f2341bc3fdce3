import CLinuxSys
import Glibc
import Synchronization

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

    /// `<random>-<loop>-`, the fixed part of generated request ids.
    let requestIDStem: String

    init(loop: EventLoop, core: ServerCore) {
        self.loop = loop
        self.core = core
        requestIDStem = core.requestIDPrefix + "-" + String(loop.index) + "-"
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
                var refusal: [UInt8] = []
                HTTPResponse.error(status: 503, code: "too_many_connections", message: "too many connections from this address")
                    .serialize(into: &refusal, date: dateCache.current(), requestID: nextRequestID(), close: true, includeBody: true)
                _ = refusal.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
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

    /// Output buffers written out completely, reused for the next responses and
    /// rendered messages instead of a malloc/free per response.
    private var spareBuffers: [[UInt8]] = []

    /// An empty buffer with spare capacity when one is available.
    func takeBuffer() -> [UInt8] {
        spareBuffers.popLast() ?? []
    }

    /// Keeps `buffer` for reuse (a few, of moderate size).
    func recycle(_ buffer: [UInt8]) {
        guard spareBuffers.count < 64, buffer.capacity <= 16 * 1024 else { return }
        spareBuffers.append(buffer)
    }

    /// The next generated request id.
    func nextRequestID() -> String {
        requestCounter &+= 1
        return requestIDStem + String(requestCounter, radix: 16)
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
