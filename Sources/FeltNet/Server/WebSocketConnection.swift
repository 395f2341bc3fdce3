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

    /// Sends one text message whose UTF-8 payload is `pieces` concatenated (e.g. a
    /// per-connection prefix and a shared, pre-rendered body). The frame header and the
    /// pieces are copied straight into the connection's outbound buffer on its loop, so
    /// no frame array is built; messages sent in the same loop iteration leave together
    /// in one `send`. The caller guarantees the bytes are valid UTF-8 (they are not
    /// re-validated). Dropped silently once the connection is closing or closed.
    public func send(textPieces pieces: [[UInt8]]) {
        let connection = self.connection
        connection.state.loop.run { connection.sendTextPieces(pieces) }
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
