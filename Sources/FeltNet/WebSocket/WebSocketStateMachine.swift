/// The connection-level WebSocket state machine (RFC 6455 §5–7), a value type with no I/O.
///
/// The owner (a connection on an event loop) feeds it the bytes it reads and performs the
/// `Action`s it returns, in order:
///
/// - `.deliverText` / `.deliverBinary`: hand a complete message to the application;
/// - `.write(frame)`: write these bytes (a pong answering a ping, or an idle ping);
/// - `.pongReceived`: a pong arrived (already counted for liveness; informational);
/// - `.closeConnection(finalFrame:)`: write `finalFrame` if present, flush, then close the
///   TCP connection. Nothing follows it; the machine is `.closed`.
///
/// Close handshake:
/// - peer closes first → `.closeConnection(finalFrame: close echoing the peer's code, or 1000
///   if it sent none)`;
/// - protocol violation → `.closeConnection(finalFrame: close with 1002/1007/1009)`;
/// - we close first (`initiateClose`, e.g. 1001 on shutdown) → write the close frame, arm a
///   timer for `closeTimeout`; the peer's close reply yields `.closeConnection(finalFrame:
///   nil)`, or the timer's `closeTimeoutExpired()` does. While waiting, incoming data frames
///   and pings are ignored.
///
/// Liveness: call `idleTimerFired()` every `idleInterval` (say 30 s). If nothing arrived since
/// the last tick it writes a ping; if the previous tick's ping is still unanswered (and still
/// nothing arrived) it fails the connection (1001 "ping timeout"). A dead peer is dropped
/// after at most three intervals; an active one is never pinged.
public struct WebSocketStateMachine: Sendable {
    /// Connection limits.
    public struct Configuration: Sendable, Hashable {
        /// Largest accepted message, in bytes (default 64 KiB); bigger ones close with 1009.
        public var maxMessageSize: Int
        /// Which end of the connection this machine runs (default `.server`).
        public var role: WebSocketFrameParser.Role

        /// Creates a configuration.
        public init(maxMessageSize: Int = 64 * 1024, role: WebSocketFrameParser.Role = .server) {
            self.maxMessageSize = maxMessageSize
            self.role = role
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
    private var trafficSinceLastTick = false
    private var pingOutstanding = false
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
        if offset < input.count { trafficSinceLastTick = true; pingOutstanding = false }
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
            return state == .open ? .write(WebSocketFrameEncoder.pong(payload)) : nil
        case .pong(let payload):
            return .pongReceived(payload)
        case .close(let code, _):
            peerCloseCode = code
            let wasOpen = state == .open
            state = .closed
            guard wasOpen else { return .closeConnection(finalFrame: nil) }
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: code ?? .normalClosure))
        case .protocolError(let error):
            protocolError = error
            let wasOpen = state == .open
            state = .closed
            guard wasOpen else { return .closeConnection(finalFrame: nil) }
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: error.closeCode, reason: error.message))
        }
    }

    // MARK: Local events

    /// Starts the close handshake from our side (e.g. `.goingAway` on shutdown).
    ///
    /// Returns `.write(closeFrame)` when open — write it and arm a `closeTimeout` timer that
    /// calls `closeTimeoutExpired()` — or nil if a close is already under way.
    public mutating func initiateClose(code: WebSocketCloseCode = .normalClosure, reason: String = "") -> Action? {
        guard state == .open else { return nil }
        state = .closing
        return .write(WebSocketFrameEncoder.close(code: code, reason: reason))
    }

    /// The close deadline passed: `.closeConnection(finalFrame: nil)` if still waiting for the
    /// peer's close frame, else nil.
    public mutating func closeTimeoutExpired() -> Action? {
        guard state == .closing else { return nil }
        state = .closed
        return .closeConnection(finalFrame: nil)
    }

    /// The idle-ping tick (call every `idleInterval` while the connection lives).
    ///
    /// Returns `.write(ping)` for an idle connection, `.closeConnection(finalFrame: close
    /// 1001)` for one whose previous ping went unanswered, and nil otherwise.
    public mutating func idleTimerFired() -> Action? {
        guard state == .open else { return nil }
        if trafficSinceLastTick {
            trafficSinceLastTick = false
            return nil
        }
        if pingOutstanding {
            state = .closed
            return .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .goingAway, reason: "ping timeout"))
        }
        pingOutstanding = true
        pingCounter &+= 1
        let n = pingCounter
        return .write(WebSocketFrameEncoder.ping([UInt8(truncatingIfNeeded: n >> 24), UInt8(truncatingIfNeeded: n >> 16),
                                                  UInt8(truncatingIfNeeded: n >> 8), UInt8(truncatingIfNeeded: n)]))
    }

    /// The TCP connection ended (peer EOF, reset, or we closed it): the machine is `.closed`
    /// and ignores everything from now on.
    public mutating func transportClosed() {
        state = .closed
    }
}
