/// Bytes waiting to be written to a socket: a FIFO of chunks (shared frames are
/// queued without copying) and the offset already sent from the first chunk.
struct OutboundQueue {
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var offset = 0
    /// Unsent bytes.
    private(set) var byteCount = 0

    var isEmpty: Bool { byteCount == 0 }

    /// Queues `bytes[from...]`.
    mutating func append(_ bytes: [UInt8], from start: Int = 0) {
        guard start < bytes.count else { return }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: true)
            head = 0
            offset = start
        } else if start > 0 {
            chunks.append(Array(bytes[start...]))
            byteCount += bytes.count - start
            return
        }
        chunks.append(bytes)
        byteCount += bytes.count - start
    }

    /// Calls `send` with the first unsent chunk's remaining bytes; it returns how many
    /// were written (or a negative value to stop). Returns false when `send` stopped.
    mutating func drain(_ send: (UnsafeRawBufferPointer) -> Int) -> Bool {
        while head < chunks.count {
            let written = chunks[head].withUnsafeBytes { raw in
                send(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            if written < 0 { return false }
            byteCount -= written
            offset += written
            if offset < chunks[head].count { return false }
            chunks[head] = []
            head += 1
            offset = 0
        }
        chunks.removeAll(keepingCapacity: true)
        head = 0
        return true
    }

    mutating func removeAll() {
        chunks = []
        head = 0
        offset = 0
        byteCount = 0
    }
}
