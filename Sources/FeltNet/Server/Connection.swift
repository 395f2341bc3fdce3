import CLinuxSys
import Glibc
import Synchronization

/// One accepted TCP connection: reads, the HTTP parser or a WebSocket session, the
/// bounded outbound queue and the connection's current deadline.
final class Connection: EventLoopSelectable, EventLoopFlushable, @unchecked Sendable {
    // @unchecked Sendable: all mutable state is confined to `state.loop`'s thread.
    // Handler tasks capture the connection but touch it only after hopping back with
    // `loop.run`/`loop.execute`; `closed` guards against a descriptor reused later.

    /// What the connection is doing.
    enum Mode {
        case http
        case webSocket
        /// Closing: our side shut down for writing; input is drained until EOF or deadline.
        case lingering
    }

    /// What the current deadline means.
    enum DeadlineKind {
        case none, header, idle, linger
    }

    let fd: Int32
    let state: LoopState
    let ip: String
    let remoteAddress: String
    var loop: EventLoop { state.loop }

    var mode = Mode.http
    var parser: HTTPRequestParser
    var inFlight = false
    var inputClosed = false
    var closeAfterFlush = false
    private(set) var closed = false
    var outbound = OutboundQueue()
    var writeInterest = false
    /// On the loop's flush list for the end of this iteration.
    var flushScheduled = false
    /// `send`/`sendmsg` calls made so far (tests observe coalescing with it).
    var sendCalls: UInt64 = 0
    var deadline: UInt64 = 0
    var deadlineKind = DeadlineKind.none
    var webSocket: WebSocketSession?
    var webSocketSerial: UInt64 = 0
    /// The request being answered is HTTP/1.0 (keep-alive must then be announced).
    var isHTTP10 = false

    init(fd: Int32, state: LoopState, ip: String, port: Int) {
        self.fd = fd
        self.state = state
        self.ip = ip
        self.remoteAddress = "\(ip):\(port)"
        self.parser = HTTPRequestParser(limits: state.configuration.limits)
        setDeadline(.header, after: state.configuration.headerTimeout)
    }

    func setDeadline(_ kind: DeadlineKind, after duration: Duration) {
        deadlineKind = kind
        deadline = MonotonicClock.nanoseconds() &+ max(1, duration.nanosecondsClamped)
    }

    func clearDeadline() {
        deadlineKind = .none
        deadline = 0
    }

    // MARK: Events

    func handleEvents(_ events: UInt32) {
        if inputClosed && events & (EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            // Both directions are gone: nothing more can be read or written.
            if mode == .webSocket { webSocket?.machine.transportClosed() }
            closeNow()
            return
        }
        if events & EPOLLOUT.rawValue != 0 { flush() }
        if closed { return }
        if events & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 { readAvailable() }
    }

    private func readAvailable() {
        let buffer = state.readBuffer
        let count = Glibc.read(fd, buffer.baseAddress, buffer.count)
        if count > 0 {
            received(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        } else if count == 0 {
            endOfInput()
        } else {
            let error = felt_errno()
            if error == EAGAIN || error == EWOULDBLOCK || error == EINTR { return }
            closeNow()
        }
    }

    private func received(_ bytes: UnsafeRawBufferPointer) {
        switch mode {
        case .lingering:
            return
        case .webSocket:
            webSocketReceived(bytes)
        case .http:
            if deadlineKind == .idle { setDeadline(.header, after: state.configuration.headerTimeout) }
            parser.feed(bytes)
            processRequests()
            if mode == .http && parser.isReadingBody && !inFlight {
                setDeadline(.header, after: state.configuration.headerTimeout)
            }
        }
    }

    private func endOfInput() {
        inputClosed = true
        if !closed { loop.modify(fd: fd, events: writeInterest ? EPOLLOUT.rawValue : 0) }
        switch mode {
        case .lingering:
            closeNow()
        case .webSocket:
            webSocketPeerVanished()
        case .http:
            if !inFlight { closeWhenFlushed() }
        }
    }

    // MARK: Closing

    /// Closes once everything queued is written.
    func closeWhenFlushed() {
        closeAfterFlush = true
        if outbound.isEmpty { finishClosing() }
    }

    /// After the last byte is written: shut down our side and wait briefly for the
    /// peer to finish sending, so unread input does not turn the close into a reset
    /// that destroys the response.
    func finishClosing() {
        guard !closed else { return }
        if inputClosed {
            closeNow()
            return
        }
        shutdown(fd, Int32(SHUT_WR))
        mode = .lingering
        setDeadline(.linger, after: .seconds(2))
    }

    /// Closes the socket immediately.
    func closeNow() {
        guard !closed else { return }
        // Output queued in this iteration has not been tried yet: give it one
        // non-blocking attempt, as an immediate write would have.
        if flushScheduled && !writeInterest && !outbound.isEmpty { drainQueue() }
        closed = true
        state.forget(self)
        loop.deregister(fd: fd)
        Glibc.close(fd)
        outbound.removeAll()
        webSocketClosed()
    }
}
