/// The connection-level WebSocket state machine (RFC 6455 §5–7), a value type with no I/O.
///
/// The owner (a connection on an event loop) feeds it the bytes it reads and performs the
/// `Action`s it returns, in order:
///
/// - `.deliverText` / `.deliverBinary`: hand a complete message to the application;
/// - `.write(frame)`: write these bytes (a pong answering a ping, or an idle ping);
/// - `.pongReceived`: a pong arrived (already counted for liveness; informational);
/// - `.closeConnection(finalFrame:)`: write `finalFrame` if present (after anything already
///   queued), flush, then close the TCP connection. Nothing follows it; the machine is `.closed`.
///
/// Close handshake:
/// - peer closes first → `.closeConnection(finalFrame: close echoing the peer's code, or 1000
///   if it sent none)`; the server then closes TCP, as RFC 6455 §7.1.1 prefers;
/// - protocol violation → `.closeConnection(finalFrame: close with 1002/1007/1009)`;
/// - we close first (`initiateClose`, e.g. 1001 on shutdown) → write the close frame; the
///   peer's close reply yields `.closeConnection(finalFrame: nil)`, or, after
///   `closeTimeout`, `checkTimeouts(now:)` does (`closeTimeoutExpired()` forces it at once).
///   While waiting, incoming data frames and pings are ignored.
///
/// Timeouts: call `checkTimeouts(now:)` periodically (each loop's deadline sweep, e.g. every
/// 250 ms) with a monotonic clock in nanoseconds. A connection from which nothing has
/// arrived for `pingInterval` gets a ping; if still nothing arrives within `pongTimeout` it is
/// failed (1001 "ping timeout"). Any received byte counts as liveness, so an active peer is
/// never pinged. Times are sampled at the sweeps, so deadlines are as precise as the sweep.
///
/// ## Wiring it into a connection
///
/// ```swift
/// // 1. HTTP layer: a request with `Upgrade: websocket` on a WebSocket route.
/// switch WebSocketHandshake.validate(method: request.method, httpVersion: (1, 1),
///                                    headers: request.headers) {
/// case .failure(let refusal):   // 400 or 426: refusal.status, refusal.headers, refusal.code
///     respond(status: refusal.status, headers: refusal.headers, error: refusal.code)
/// case .success(let accepted):  // write "HTTP/1.1 101 Switching Protocols" + accepted.headers
///     switchToWebSocket(WebSocketStateMachine(configuration: .init()))
///     // Bytes already read after the request head belong to the WebSocket stream:
///     // feed them to the machine right away.
/// }
///
/// // 2. On every read (allocation-free loop; the owner may touch its other state, or even
/// //    call `transportClosed()`, between actions):
/// var offset = 0
/// while let action = machine.nextAction(in: readBuffer, consumed: &offset) {
///     switch action {
///     case .deliverText(let text):      application.onText(connection, text)
///     case .deliverBinary(let bytes):   application.onBinary(connection, bytes)
///     case .write(let frame):           enqueue(frame)
///     case .pongReceived:               break
///     case .closeConnection(let frame): if let frame { enqueue(frame) }; closeAfterFlush()
///     }
/// }
///
/// // 3. Sending: one encoding, any number of connections.
/// let frame = WebSocketFrameEncoder.text(json)          // or .text(utf8: bytes)
/// for c in audience where c.machine.canSendMessages { c.enqueue(frame) }
///
/// // 4. Each deadline sweep: `machine.checkTimeouts(now: MonotonicClock.nanoseconds())`;
/// //    shutdown: `machine.initiateClose(code: .goingAway)` (the sweep enforces
/// //    `closeTimeout`). Perform what they return like any action.
/// // 5. EOF or a socket error → `machine.transportClosed()`.
/// ```
public struct WebSocketStateMachine: Sendable {
    /// Connection limits.
    public struct Configuration: Sendable, Hashable {
        /// Largest accepted message, in bytes (default 64 KiB); bigger ones close with 1009.
        public var maxMessageSize: Int
        /// Which end of the connection this machine runs (default `.server`). A `.client`
        /// machine expects unmasked frames and masks the frames it writes (pong, close, ping).
        public var role: WebSocketFrameParser.Role
        /// A connection silent this long is pinged (default 30 s).
        public var pingInterval: Duration
        /// A pinged connection still silent this long after the ping is failed (default 10 s).
        public var pongTimeout: Duration
        /// How long to wait for the peer's close frame after `initiateClose` before closing
        /// the TCP connection anyway (default 3 s).
        public var closeTimeout: Duration

        /// Creates a configuration.
        public init(maxMessageSize: Int = 64 * 1024, role: WebSocketFrameParser.Role = .server,
                    pingInterval: Duration = .seconds(30), pongTimeout: Duration = .seconds(10),
                    closeTimeout: Duration = .seconds(3)) {
            self.maxMessageSize = maxMessageSize
            self.role = role
            self.pingInterval = pingInterval
            self.pongTimeout = pongTimeout
            self.closeTimeout = closeTimeout
        }
    }

    /// Where the connection stands.
    public enum State: Sendable, Hashable {
        /// Messages flow both ways.
        case open
        /// We sent a close frame and wait for the peer's (with a deadline); send nothing more.
        case closing
        /// The close handshake is over or the connection failed; close/closed the TCP connection.
        case closed
    }

    /// What the owner must do, in order.
    public enum Action: Sendable, Hashable {
        /// A complete text message arrived.
        case deliverText(String)
        /// A complete binary message arrived.
        case deliverBinary([UInt8])
        /// Write these bytes to the peer.
        case write(WebSocketEncodedFrame)
        /// A pong arrived with this payload.
        case pongReceived([UInt8])
        /// Write `finalFrame` (if any), then close the TCP connection. The last action.
        case closeConnection(finalFrame: WebSocketEncodedFrame?)
    }

    /// The configuration in force.
    public let configuration: Configuration

    /// Where the connection stands.
    public private(set) var state: State = .open

    /// Why the connection failed, if it failed on a protocol violation.
    public private(set) var protocolError: WebSocketProtocolError?

    /// The code of the peer's close frame, once received (nil if none or empty).
    public private(set) var peerCloseCode: WebSocketCloseCode?

    private var parser: WebSocketFrameParser
    // Liveness and close deadlines, in the owner's monotonic nanoseconds (see checkTimeouts).
    private var trafficSinceLastCheck = false
    private var lastActivity: UInt64?
    private var pingSentAt: UInt64?
    private var closeStartedAt: UInt64?
    private var pingCounter: UInt32 = 0

    /// A machine for a freshly upgraded connection.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
        self.parser = WebSocketFrameParser(configuration: .init(maxMessageSize: configuration.maxMessageSize,
                                                                 role: configuration.role))
    }

    /// Whether messages may be sent now (true only while `.open`). Check before writing an
    /// application or broadcast frame: after a close frame nothing else may be sent.
    public var canSendMessages: Bool { state == .open }

    // MARK: Input

    /// Consumes bytes from `input` starting at `offset` until one action results, and returns
    /// it; `nil` once `input` is used up. Allocation-free core of `receive`.
    public mutating func nextAction(in input: UnsafeRawBufferPointer, consumed offset: inout Int) -> Action? {
        if offset < input.count { trafficSinceLastCheck = true }
        while true {
            guard state != .closed else {
                offset = input.count
                return nil
            }
            guard let event = parser.nextEvent(in: input, consumed: &offset) else { return nil }
            if let action = handle(event) { return action }
        }
    }

    /// Consumes `bytes`, calling `perform` with each resulting action in order.
    ///
    /// `perform` must not call back into this machine (the owner is mid-mutation).
    public mutating func receive(_ bytes: UnsafeRawBufferPointer, _ perform: (Action) throws -> Void) rethrows {
        var offset = 0
        while let action = nextAction(in: bytes, consumed: &offset) { try perform(action) }
    }

    /// Consumes `bytes`, returning the resulting actions in order.
    public mutating func receive(_ bytes: [UInt8]) -> [Action] {
        var actions: [Action] = []
        bytes.withUnsafeBytes { raw in receive(raw) { actions.append($0) } }
        return actions
    }

    private mutating func handle(_ event: WebSocketFrameParser.Event) -> Action? {
        switch event {
        case .text(let text):
            return state == .open ? .deliverText(text) : nil
        case .binary(let bytes):
            return state == .open ? .deliverBinary(bytes) : nil
        case .ping(let payload):
            return state == .open ? .write(WebSocketFrameEncoder.pong(payload, maskingKey: outgoingMask())) : nil
        case .pong(let payload):
            return .pongReceived(payload)
        case .close(let code, _):
            peerCloseCode = code
            let wasOpen = state == .open
            state = .closed
            guard wasOpen else { return .closeConnection(finalFrame: nil) }
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: code ?? .normalClosure, maskingKey: outgoingMask()))
        case .protocolError(let error):
            protocolError = error
            let wasOpen = state == .open
            state = .closed
            guard wasOpen else { return .closeConnection(finalFrame: nil) }
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: error.closeCode, reason: error.message, maskingKey: outgoingMask()))
        }
    }

    // MARK: Local events

    /// Starts the close handshake from our side (e.g. `.goingAway` on shutdown).
    ///
    /// Returns `.write(closeFrame)` when open — write it; `checkTimeouts(now:)` closes the
    /// connection if the peer has not answered within `closeTimeout` — or nil if a close is
    /// already under way.
    public mutating func initiateClose(code: WebSocketCloseCode = .normalClosure, reason: String = "") -> Action? {
        guard state == .open else { return nil }
        state = .closing
        closeStartedAt = nil   // stamped by the next checkTimeouts
        return .write(WebSocketFrameEncoder.close(code: code, reason: reason, maskingKey: outgoingMask()))
    }

    /// Fails the connection from our side without waiting for the peer (e.g. a slow consumer
    /// whose outbound buffer overflowed, or an application-level violation).
    ///
    /// Returns `.closeConnection(finalFrame: close(code, reason))` when open,
    /// `.closeConnection(finalFrame: nil)` while a close handshake is under way (our close
    /// frame is already out), and nil once closed.
    public mutating func failConnection(code: WebSocketCloseCode, reason: String = "") -> Action? {
        switch state {
        case .open:
            state = .closed
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: code, reason: reason, maskingKey: outgoingMask()))
        case .closing:
            state = .closed
            return .closeConnection(finalFrame: nil)
        case .closed:
            return nil
        }
    }

    /// Gives up waiting for the peer's close frame now (an owner with its own close timer, or
    /// a shutdown that cannot wait): `.closeConnection(finalFrame: nil)` if still waiting,
    /// else nil.
    public mutating func closeTimeoutExpired() -> Action? {
        guard state == .closing else { return nil }
        state = .closed
        return .closeConnection(finalFrame: nil)
    }

    /// Enforces the ping, pong and close deadlines; call it periodically (e.g. from each
    /// loop's deadline sweep) with a monotonic time in nanoseconds.
    ///
    /// Returns `.write(ping)` when the connection has been silent for `pingInterval`,
    /// `.closeConnection(finalFrame: close 1001 "ping timeout")` when a ping went unanswered
    /// for `pongTimeout`, `.closeConnection(finalFrame: nil)` when our close frame went
    /// unanswered for `closeTimeout`, and nil otherwise. Activity and the start of a close
    /// are stamped with the `now` of the first call after them.
    public mutating func checkTimeouts(now: UInt64) -> Action? {
        if trafficSinceLastCheck || lastActivity == nil {
            trafficSinceLastCheck = false
            lastActivity = now
            pingSentAt = nil
        }
        switch state {
        case .closed:
            return nil
        case .closing:
            guard let start = closeStartedAt else {
                closeStartedAt = now
                return nil
            }
            guard Self.elapsed(from: start, to: now) >= Self.nanoseconds(configuration.closeTimeout) else { return nil }
            state = .closed
            return .closeConnection(finalFrame: nil)
        case .open:
            if let sent = pingSentAt {
                guard Self.elapsed(from: sent, to: now) >= Self.nanoseconds(configuration.pongTimeout) else { return nil }
                state = .closed
                return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .goingAway, reason: "ping timeout",
                                                                                  maskingKey: outgoingMask()))
            }
            guard let last = lastActivity,
                  Self.elapsed(from: last, to: now) >= Self.nanoseconds(configuration.pingInterval) else { return nil }
            pingSentAt = now
            pingCounter &+= 1
            let n = pingCounter
            return .write(WebSocketFrameEncoder.ping([UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                                                      UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)],
                                                     maskingKey: outgoingMask()))
        }
    }

    static func elapsed(from start: UInt64, to now: UInt64) -> UInt64 {
        now >= start ? now - start : 0
    }

    /// A duration in whole nanoseconds (negative → 0, saturating at UInt64.max).
    static func nanoseconds(_ duration: Duration) -> UInt64 {
        let (seconds, attoseconds) = duration.components
        if seconds < 0 || (seconds == 0 && attoseconds <= 0) { return 0 }
        let (whole, overflow) = UInt64(seconds).multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .max }
        let (total, overflow2) = whole.addingReportingOverflow(UInt64(attoseconds / 1_000_000_000))
        return overflow2 ? .max : total
    }

    /// Frames written by a client must be masked with a fresh key; a server's never are.
    private func outgoingMask() -> WebSocketMaskingKey? {
        configuration.role == .client ? .random() : nil
    }

    /// The TCP connection ended (peer EOF, reset, or we closed it): the machine is `.closed`
    /// and ignores everything from now on.
    public mutating func transportClosed() {
        state = .closed
    }
}
