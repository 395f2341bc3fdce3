/// Sends one encoded frame to many connections: encoded once, the same bytes are
/// written to every connection, each on its own loop (one hop per loop).
public enum WebSocketBroadcast {
    /// Sends `frame` to every connection in `connections`.
    ///
    /// Connections are grouped by loop; the other loops are handed their share first
    /// (they start at once, in parallel), then the caller's own loop, when it is one of
    /// them, queues its share inline. Each loop writes its share at the end of its
    /// current iteration (one `send` per connection, coalesced with anything else sent
    /// to it in that iteration).
    public static func send<S: Sequence>(_ frame: WebSocketEncodedFrame, to connections: S) where S.Element == WebSocketConnection {
        // A handful of loops: a linear scan by identity beats hashing every element.
        var groups: [(loop: EventLoop, connections: [Connection])] = []
        for handle in connections {
            let connection = handle.connection
            let loop = connection.state.loop
            if let index = groups.firstIndex(where: { $0.loop === loop }) {
                groups[index].connections.append(connection)
            } else {
                groups.append((loop, [connection]))
            }
        }
        var local: [Connection]?
        for (loop, list) in groups {
            if loop.inEventLoop {
                local = list
            } else {
                loop.execute { for connection in list { connection.sendFrame(frame) } }
            }
        }
        if let local {
            for connection in local { connection.sendFrame(frame) }
        }
    }

    /// Encodes `text` once and sends it to every connection.
    public static func send<S: Sequence>(text: String, to connections: S) where S.Element == WebSocketConnection {
        send(WebSocketFrameEncoder.text(text), to: connections)
    }
}
