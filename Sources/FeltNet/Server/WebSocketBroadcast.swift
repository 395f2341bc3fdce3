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
