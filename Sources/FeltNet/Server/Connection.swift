import CLinuxSys
import Glibc
import Synchronization

/// One accepted TCP connection: reads, the HTTP parser or a WebSocket session, the
/// bounded outbound queue and the connection's current deadline.
final class Connection: EventLoopSelectable, @unchecked Sendable {
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
    private var writeInterest = false
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

    // MARK: HTTP

    /// Handles buffered requests one at a time (responses stay in order).
    func processRequests() {
        while mode == .http && !inFlight && !closed && !closeAfterFlush {
            guard let event = parser.next() else { break }
            switch event {
            case .expectContinue:
                write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
            case .error(let error):
                respond(error.httpError.response, method: .get, requestID: state.nextRequestID(), keepAlive: false)
            case .request(let request):
                dispatch(request)
            }
        }
        guard mode == .http && !inFlight && !closed else { return }
        if inputClosed {
            closeWhenFlushed()
        } else if parser.isIdle {
            if state.core.draining.load(ordering: .relaxed) {
                closeWhenFlushed()
            } else if deadlineKind != .idle {
                setDeadline(.idle, after: state.configuration.idleTimeout)
            }
        } else if deadlineKind != .header {
            setDeadline(.header, after: state.configuration.headerTimeout)
        }
    }

    private func dispatch(_ request: HTTPRequest) {
        isHTTP10 = request.version.minor == 0
        let requestID = Connection.acceptableRequestID(request.headers["X-Request-Id"]) ?? state.nextRequestID()
        let keepAlive = request.keepAlive && !state.core.draining.load(ordering: .relaxed)
        let method = request.method
        let path = request.path
        if path == "/healthz" && (method == .get || method == .head) {
            respond(.json(bytes: Array("{\"status\":\"ok\"}".utf8)), method: method, requestID: requestID, keepAlive: keepAlive)
            return
        }
        let host = request.headers["Host"].flatMap(HostRouter<String>.normalize)
        guard let router = state.core.resolve(host) else {
            respond(.error(status: 404, code: "unknown_tenant", message: "no club is served at this host"),
                    method: method, requestID: requestID, keepAlive: keepAlive)
            return
        }
        switch router.match(method: method, path: path) {
        case .notFound:
            respond(.error(status: 404, code: "not_found", message: "no route for this path"),
                    method: method, requestID: requestID, keepAlive: keepAlive)
        case .methodNotAllowed(let allow):
            var response = HTTPResponse.error(status: 405, code: "method_not_allowed", message: "method not allowed for this path")
            response.headers.add("Allow", allow.joined(separator: ", "))
            respond(response, method: method, requestID: requestID, keepAlive: keepAlive)
        case .found(.http(let handler), let parameters):
            let context = RequestContext(loop: loop, parameters: parameters, requestID: requestID,
                                         remoteAddress: remoteAddress, host: host)
            inFlight = true
            clearDeadline()
            let loop = self.loop
            Task(executorPreference: loop) {
                let response = await handler(request, context)
                loop.run { self.finish(response, method: method, requestID: requestID, keepAlive: keepAlive) }
            }
        case .found(.webSocket(let handler), let parameters):
            let context = RequestContext(loop: loop, parameters: parameters, requestID: requestID,
                                         remoteAddress: remoteAddress, host: host)
            beginUpgrade(request, context: context, handler: handler, keepAlive: keepAlive)
        }
    }

    /// Completes a request whose handler ran asynchronously.
    func finish(_ response: HTTPResponse, method: HTTPMethod, requestID: String, keepAlive: Bool) {
        inFlight = false
        guard !closed else { return }
        respond(response, method: method, requestID: requestID,
                keepAlive: keepAlive && !state.core.draining.load(ordering: .relaxed))
        processRequests()
    }

    /// Writes a response; closes after it when not keeping alive.
    func respond(_ response: HTTPResponse, method: HTTPMethod, requestID: String, keepAlive: Bool) {
        var bytes: [UInt8] = []
        if keepAlive && isHTTP10 {
            var announced = response
            announced.headers.add("Connection", "keep-alive")
            announced.serialize(into: &bytes, date: state.dateCache.current(), requestID: requestID,
                                close: false, includeBody: method != .head)
        } else {
            response.serialize(into: &bytes, date: state.dateCache.current(), requestID: requestID,
                               close: !keepAlive, includeBody: method != .head)
        }
        state.requestsServed.add(1, ordering: .relaxed)
        write(bytes)
        if !keepAlive { closeWhenFlushed() }
    }

    /// An `X-Request-Id` from the client is echoed when short and printable.
    static func acceptableRequestID(_ value: String?) -> String? {
        guard let value, !value.isEmpty, value.utf8.count <= 128 else { return nil }
        for byte in value.utf8 where byte < 0x21 || byte > 0x7E { return nil }
        return value
    }

    // MARK: Deadlines

    func deadlineExpired(now: UInt64) {
        switch deadlineKind {
        case .none:
            deadline = 0
        case .header:
            clearDeadline()
            if mode == .http && !inFlight {
                respond(HTTPResponse.error(status: 408, code: "request_timeout", message: "the request was not received in time"),
                        method: .get, requestID: state.nextRequestID(), keepAlive: false)
            }
        case .idle, .linger:
            closeNow()
        }
    }

    /// Part of graceful shutdown.
    func drain() {
        switch mode {
        case .http:
            if !inFlight && parser.isIdle { closeWhenFlushed() }
        case .webSocket:
            webSocketGoingAway()
        case .lingering:
            break
        }
    }

    // MARK: Writing

    /// Sends `bytes` now as far as the socket takes them and queues the rest. A peer
    /// whose queue is already over the limit is closed.
    func write(_ bytes: [UInt8]) {
        guard !closed, !bytes.isEmpty else { return }
        if !outbound.isEmpty {
            if outbound.byteCount > state.configuration.maxOutboundBytes {
                closeNow()
                return
            }
            outbound.append(bytes)
            return
        }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == bytes.count { return }
        if sent < 0 {
            let error = felt_errno()
            guard error == EAGAIN || error == EWOULDBLOCK || error == EINTR else {
                closeNow()
                return
            }
        }
        outbound.append(bytes, from: max(0, sent))
        setWriteInterest(true)
    }

    func flush() {
        guard !closed else { return }
        var failed = false
        let done = outbound.drain { raw in
            let sent = send(fd, raw.baseAddress, raw.count, Int32(MSG_NOSIGNAL))
            if sent < 0 {
                let error = felt_errno()
                if !(error == EAGAIN || error == EWOULDBLOCK || error == EINTR) { failed = true }
                return -1
            }
            return sent
        }
        if failed {
            closeNow()
            return
        }
        if done {
            setWriteInterest(false)
            if closeAfterFlush { finishClosing() }
        }
    }

    private func setWriteInterest(_ on: Bool) {
        guard on != writeInterest, !closed else { return }
        writeInterest = on
        var events: UInt32 = inputClosed ? 0 : EPOLLIN.rawValue
        if on { events |= EPOLLOUT.rawValue }
        loop.modify(fd: fd, events: events)
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
    private func finishClosing() {
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
        closed = true
        state.forget(self)
        loop.deregister(fd: fd)
        Glibc.close(fd)
        outbound.removeAll()
        webSocketClosed()
    }
}
