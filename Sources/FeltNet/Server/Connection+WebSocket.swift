import Glibc
import Synchronization

/// Source of process-unique WebSocket connection ids.
let webSocketSerials = Atomic<UInt64>(1)

/// The WebSocket side of a connection: the codec's state machine, the callbacks and
/// the ordered queue of events waiting to be delivered to them.
final class WebSocketSession {
    var machine: WebSocketStateMachine
    let handler: WebSocketHandler
    var inbox: [Event] = []
    var inboxHead = 0
    var delivering = false
    var closeQueued = false

    enum Event {
        case open
        case text(String)
        case binary([UInt8])
        case close(WebSocketCloseCode?)
    }

    init(handler: WebSocketHandler, configuration: ServerConfiguration) {
        self.handler = handler
        machine = WebSocketStateMachine(configuration: .init(
            maxMessageSize: configuration.maxWebSocketMessageBytes, role: .server,
            pingInterval: configuration.webSocketPingInterval, pongTimeout: configuration.webSocketPongTimeout,
            closeTimeout: configuration.webSocketCloseTimeout))
    }

    func pop() -> Event? {
        guard inboxHead < inbox.count else {
            inbox.removeAll(keepingCapacity: true)
            inboxHead = 0
            return nil
        }
        let event = inbox[inboxHead]
        inboxHead += 1
        return event
    }
}

extension Connection {
    var serial: UInt64 { webSocketSerial }

    // MARK: Upgrade

    func beginUpgrade(_ request: HTTPRequest, context: RequestContext, handler: @escaping WebSocketRouteHandler, keepAlive: Bool) {
        let method = request.method
        let requestID = context.requestID
        guard WebSocketHandshake.isUpgradeRequest(headers: request.headers.fields) else {
            var response = HTTPResponse.error(status: 426, code: "upgrade_required", message: "this endpoint needs a WebSocket upgrade")
            response.headers.add("Upgrade", "websocket")
            response.headers.add("Sec-WebSocket-Version", WebSocketHandshake.supportedVersion)
            respond(response, method: method, requestID: requestID, keepAlive: keepAlive)
            return
        }
        switch WebSocketHandshake.validate(method: method.rawValue, httpVersion: request.version, headers: request.headers.fields) {
        case .failure(let refusal):
            var response = HTTPResponse.error(status: refusal.status, code: refusal.code, message: refusal.message)
            for field in refusal.headers { response.headers.add(field.name, field.value) }
            respond(response, method: method, requestID: requestID, keepAlive: false)
        case .success(let accepted):
            inFlight = true
            clearDeadline()
            let loop = self.loop
            Task(executorPreference: loop) {
                let decision = await handler(request, context)
                loop.run { self.completeUpgrade(decision, accepted: accepted, requestID: requestID, keepAlive: keepAlive) }
            }
        }
    }

    private func completeUpgrade(_ decision: WebSocketUpgradeDecision, accepted: WebSocketHandshake.Accepted,
                                 requestID: String, keepAlive: Bool) {
        switch decision {
        case .refuse(let response):
            finish(response, method: .get, requestID: requestID, keepAlive: keepAlive)
        case .accept(let handler):
            inFlight = false
            guard !closed else { return }
            if state.core.draining.load(ordering: .relaxed) {
                respond(.error(status: 503, code: "shutting_down", message: "the server is shutting down"),
                        method: .get, requestID: requestID, keepAlive: false)
                return
            }
            var head = "HTTP/1.1 101 Switching Protocols\r\n"
            for field in accepted.headers { head += field.name + ": " + field.value + "\r\n" }
            head += "X-Request-Id: " + requestID + "\r\n\r\n"
            write(Array(head.utf8))
            mode = .webSocket
            webSocketSerial = webSocketSerials.wrappingAdd(1, ordering: .relaxed).oldValue
            let session = WebSocketSession(handler: handler, configuration: state.configuration)
            webSocket = session
            // Ping, pong and close deadlines are the state machine's, checked each sweep.
            clearDeadline()
            _ = session.machine.checkTimeouts(now: MonotonicClock.nanoseconds())
            enqueue(.open)
            let leftover = parser.takeRemainingBytes()
            if !leftover.isEmpty {
                leftover.withUnsafeBytes { webSocketReceived($0) }
            }
            if inputClosed { webSocketPeerVanished() }
        }
    }

    // MARK: Input

    func webSocketReceived(_ bytes: UnsafeRawBufferPointer) {
        guard let session = webSocket else { return }
        var offset = 0
        while !closed, let action = session.machine.nextAction(in: bytes, consumed: &offset) {
            perform(action)
        }
    }

    private func perform(_ action: WebSocketStateMachine.Action) {
        guard let session = webSocket else { return }
        switch action {
        case .deliverText(let text):
            enqueue(.text(text))
        case .deliverBinary(let bytes):
            if session.handler.onBinary != nil {
                enqueue(.binary(bytes))
            } else {
                webSocketInitiateClose(code: .unsupportedData, reason: "binary messages are not accepted")
            }
        case .write(let frame):
            write(frame.bytes)
        case .pongReceived:
            break
        case .closeConnection(let finalFrame):
            if let finalFrame { write(finalFrame.bytes) }
            closeWhenFlushed()
        }
    }

    func webSocketPeerVanished() {
        webSocket?.machine.transportClosed()
        closeNow()
    }

    // MARK: Output and local events

    func sendFrame(_ frame: WebSocketEncodedFrame) {
        guard !closed, mode == .webSocket, let session = webSocket, session.machine.canSendMessages else { return }
        write(frame.bytes)
    }

    /// Writes one text frame whose payload is `pieces` concatenated: header and pieces
    /// go straight into the outbound buffer (no frame array is built).
    func sendTextPieces(_ pieces: [[UInt8]]) {
        guard !closed, mode == .webSocket, let session = webSocket, session.machine.canSendMessages else { return }
        var length = 0
        for piece in pieces { length += piece.count }
        writeInPlace(reserving: WebSocketFrameEncoder.headerSize(payloadLength: length) + length) { out in
            WebSocketFrameEncoder.appendHeader(opcode: .text, payloadLength: length, to: &out)
            for piece in pieces { out.append(contentsOf: piece) }
        }
    }

    func webSocketInitiateClose(code: WebSocketCloseCode, reason: String) {
        guard !closed, mode == .webSocket, let session = webSocket else { return }
        if let action = session.machine.initiateClose(code: code, reason: reason) { perform(action) }
    }

    func webSocketGoingAway() {
        webSocketInitiateClose(code: .goingAway, reason: "server shutting down")
    }

    /// Each loop sweep: the machine's ping, pong and close deadlines.
    func webSocketSweep(now: UInt64) {
        guard mode == .webSocket, !closed, let session = webSocket else { return }
        if let action = session.machine.checkTimeouts(now: now) { perform(action) }
    }

    /// Called from `closeNow`: queues the close callback.
    func webSocketClosed() {
        guard let session = webSocket, !session.closeQueued else { return }
        session.machine.transportClosed()
        enqueue(.close(session.machine.peerCloseCode))
    }

    // MARK: Ordered delivery

    private func enqueue(_ event: WebSocketSession.Event) {
        guard let session = webSocket, !session.closeQueued else { return }
        if case .close = event { session.closeQueued = true }
        session.inbox.append(event)
        if !session.delivering {
            session.delivering = true
            deliverNext()
        }
    }

    /// Delivers the next queued event in a task; the next one starts when it returns.
    private func deliverNext() {
        guard let session = webSocket else { return }
        guard let event = session.pop() else {
            session.delivering = false
            return
        }
        let handle = WebSocketConnection(connection: self)
        let handler = session.handler
        let loop = self.loop
        Task(executorPreference: loop) {
            switch event {
            case .open: await handler.onOpen(handle)
            case .text(let text): await handler.onText(handle, text)
            case .binary(let bytes): await handler.onBinary?(handle, bytes)
            case .close(let code): await handler.onClose(handle, code)
            }
            loop.run { self.deliverNext() }
        }
    }
}
