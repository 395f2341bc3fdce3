/// Where a table delivers messages for one viewer (a WebSocket connection, implemented by
/// the server). `deliver` is called on the table's executor and must not block: queue the
/// bytes for the connection's loop. Game views carry no `seq`: the connection writes its own
/// with `SharedMessage.write(seq:into:)`.
public protocol TableViewerSink: Sendable {
    /// Queues one message for the viewer.
    func deliver(_ message: SharedMessage)
}

/// A connection watching a table (chosen by the server, unique per table).
public struct ViewerID: Hashable, Sendable, CustomStringConvertible {
    /// The connection number.
    public var rawValue: UInt64
    /// Creates an id.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "viewer-\(rawValue)" }
}
