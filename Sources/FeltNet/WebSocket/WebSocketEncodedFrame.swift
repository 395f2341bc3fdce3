/// One complete WebSocket frame, encoded and ready to write to a socket.
///
/// Encode once, write many times: a broadcast encodes its message a single time and hands the
/// same `WebSocketEncodedFrame` to every connection. Copies share one buffer (copy-on-write
/// array; nothing ever mutates it), so fanning out to 10,000 connections costs 10,000
/// reference-count increments, not 10,000 encodings.
///
/// The bytes may also hold several complete frames back to back (`init(bytes:)` with
/// frames concatenated by the caller): the connection writes them unchanged, in order, so a
/// layer that has a few messages for one connection (a table's events and its view) sends
/// them as one write. Every frame in it must be complete and valid for the connection's role.
public struct WebSocketEncodedFrame: Sendable, Hashable {
    /// The wire bytes: header (and masking key, for client frames) followed by the payload,
    /// for each frame held.
    public let bytes: [UInt8]

    /// Wraps already-encoded wire bytes.
    public init(bytes: [UInt8]) { self.bytes = bytes }

    /// Number of wire bytes.
    @inlinable
    public var count: Int { bytes.count }

    /// Calls `body` with the wire bytes (no copy).
    @inlinable
    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try bytes.withUnsafeBytes(body)
    }
}
