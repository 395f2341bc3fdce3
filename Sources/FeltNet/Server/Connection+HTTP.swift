import Glibc

/// HTTP/1.1 on a connection: one request at a time (in-order pipelining), tenant and
/// route resolution, handler tasks, responses and deadlines.
extension Connection {

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

    func dispatch(_ request: HTTPRequest) {
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
                if loop.inEventLoop {
                    self.finish(response, method: method, requestID: requestID, keepAlive: keepAlive)
                } else {
                    loop.execute { self.finish(response, method: method, requestID: requestID, keepAlive: keepAlive) }
                }
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
        // Serialised straight into the outbound queue's own buffer: responses to
        // pipelined requests handled in one loop iteration leave in one send.
        let date = state.dateCache.current()
        let includeBody = method != .head
        let close = !keepAlive
        if keepAlive && isHTTP10 {
            var announced = response
            announced.headers.add("Connection", "keep-alive")
            writeInPlace(reserving: 256 + announced.body.count) { out in
                announced.serialize(into: &out, date: date, requestID: requestID, close: false, includeBody: includeBody)
            }
        } else {
            writeInPlace(reserving: 256 + response.body.count) { out in
                response.serialize(into: &out, date: date, requestID: requestID, close: close, includeBody: includeBody)
            }
        }
        state.requestsServed.add(1, ordering: .relaxed)
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
}
