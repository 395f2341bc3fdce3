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
