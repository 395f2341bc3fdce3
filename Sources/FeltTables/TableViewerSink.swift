/// Where a table delivers messages for one viewer (a WebSocket connection, implemented by
/// the server). `deliver` is called on the table's executor and must not block: queue the
/// bytes for the connection's loop. Game views carry no `seq`: the connection writes its own
/// with `SharedMessage.write(seq:into:)` or `copyBytes(seq:to:)`. Sinks are classes (one per
/// connection), so the table copies a viewer with a single retain.
public protocol TableViewerSink: AnyObject, Sendable {
    /// Queues one message for the viewer.
    func deliver(_ message: SharedMessage)

    /// Queues `messages` then `last` (if any), in order: what one change of the table sends
    /// this viewer (its events, then its view). A sink should write them together (one
    /// buffer, one hop to the connection's loop); the default delivers them one by one.
    func deliver(_ messages: [SharedMessage], then last: SharedMessage?)
}

extension TableViewerSink {
    public func deliver(_ messages: [SharedMessage], then last: SharedMessage?) {
        for m in messages { deliver(m) }
        if let last { deliver(last) }
    }
}

/// A connection watching a table (chosen by the server, unique per table).
public struct ViewerID: Hashable, Sendable, CustomStringConvertible {
    /// The connection number.
    public var rawValue: UInt64
    /// Creates an id.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    public var description: String { "viewer-\(rawValue)" }
}
