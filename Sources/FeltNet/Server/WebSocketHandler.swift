/// Callbacks for one accepted WebSocket connection, supplied by the layer above when
/// it accepts an upgrade.
///
/// Events of one connection are delivered one at a time, in order (open, messages,
/// close), each in a task that prefers the connection's loop; a callback may await
/// (e.g. a table actor) without blocking the loop or reordering later events.
public struct WebSocketHandler: Sendable {
    /// Called once, first, when the handshake is complete.
    public var onOpen: @Sendable (WebSocketConnection) async -> Void
    /// Called for each complete text message (valid UTF-8, at most the size limit).
    public var onText: @Sendable (WebSocketConnection, String) async -> Void
    /// Called for each binary message; when nil a binary message closes with 1003.
    public var onBinary: (@Sendable (WebSocketConnection, [UInt8]) async -> Void)?
    /// Called once, last, when the connection is gone; the code is the peer's close
    /// code, or nil when it sent none (or the connection dropped).
    public var onClose: @Sendable (WebSocketConnection, WebSocketCloseCode?) async -> Void

    /// Makes a handler; every callback defaults to doing nothing.
    public init(onOpen: @escaping @Sendable (WebSocketConnection) async -> Void = { _ in },
                onText: @escaping @Sendable (WebSocketConnection, String) async -> Void = { _, _ in },
                onBinary: (@Sendable (WebSocketConnection, [UInt8]) async -> Void)? = nil,
                onClose: @escaping @Sendable (WebSocketConnection, WebSocketCloseCode?) async -> Void = { _, _ in }) {
        self.onOpen = onOpen
        self.onText = onText
        self.onBinary = onBinary
        self.onClose = onClose
    }

    /// Echoes every text and binary message back (the Autobahn test endpoint).
    public static let echo = WebSocketHandler(
        onText: { connection, text in connection.send(text: text) },
        onBinary: { connection, bytes in connection.send(WebSocketFrameEncoder.binary(bytes)) })
}

/// A handle on one open WebSocket connection; cheap to copy and usable from any
/// thread or actor (operations hop to the connection's loop).
public struct WebSocketConnection: Sendable, Hashable {
    let connection: Connection

    /// Unique id of the connection within the process.
    public var id: UInt64 { connection.serial }
    /// The loop the connection lives on.
    public var loop: EventLoop { connection.state.loop }
    /// The peer's `ip:port`.
    public var remoteAddress: String { connection.remoteAddress }

    /// Sends a text message.
    public func send(text: String) {
        send(WebSocketFrameEncoder.text(text))
    }

    /// Sends an already encoded frame (see ``WebSocketBroadcast``). Dropped silently
    /// once the connection is closing or closed.
    public func send(_ frame: WebSocketEncodedFrame) {
        let connection = self.connection
        connection.state.loop.run { connection.sendFrame(frame) }
    }

    /// Starts the close handshake with `code` (the peer's answer, or a timeout, closes
    /// the socket; `onClose` follows).
    public func close(code: WebSocketCloseCode = .normalClosure, reason: String = "") {
        let connection = self.connection
        connection.state.loop.run { connection.webSocketInitiateClose(code: code, reason: reason) }
    }

    public static func == (lhs: WebSocketConnection, rhs: WebSocketConnection) -> Bool { lhs.connection === rhs.connection }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(connection)) }
}

/// Sends one encoded frame to many connections: encoded once, the same bytes are
/// written to every connection, each on its own loop (one hop per loop).
public enum WebSocketBroadcast {
    /// Sends `frame` to every connection in `connections`.
    public static func send<S: Sequence>(_ frame: WebSocketEncodedFrame, to connections: S) where S.Element == WebSocketConnection {
        var byLoop: [ObjectIdentifier: (EventLoop, [Connection])] = [:]
        for handle in connections {
            let loop = handle.connection.state.loop
            byLoop[ObjectIdentifier(loop), default: (loop, [])].1.append(handle.connection)
        }
        for (_, (loop, list)) in byLoop {
            loop.run { for connection in list { connection.sendFrame(frame) } }
        }
    }

    /// Encodes `text` once and sends it to every connection.
    public static func send<S: Sequence>(text: String, to connections: S) where S.Element == WebSocketConnection {
        send(WebSocketFrameEncoder.text(text), to: connections)
    }
}
