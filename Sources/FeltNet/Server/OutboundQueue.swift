import Glibc

/// Bytes waiting to be written to a socket: a FIFO of chunks and the offset already
/// sent from the first chunk.
///
/// Two kinds of chunk: *shared* ones (a broadcast frame, an encoded frame handed in by
/// the caller) are queued by reference without copying; an *owned* tail is a buffer
/// this queue allocated, into which small writes and pre-rendered pieces are copied so
/// that several messages queued in one loop iteration leave in one contiguous send.
/// ``drain(_:)`` hands the socket up to ``maxBatch`` chunks at once (one `sendmsg`).
struct OutboundQueue {
    private var chunks: [[UInt8]] = []
    private var head = 0
    private var offset = 0
    /// The last chunk was allocated here (never shared), so it may be appended to.
    private var tailOwned = false
    /// Unsent bytes.
    private(set) var byteCount = 0
    /// An owned tail written out completely, handed back for reuse (``takeRecycled()``).
    private var recycled: [UInt8]?

    /// Shared chunks up to this size are copied into an owned tail instead of being
    /// queued by reference (a copy is cheaper than one more iovec and keeps the tail whole).
    static let copyThreshold = 256
    /// Chunks handed to the socket per call.
    static let maxBatch = 16

    var isEmpty: Bool { byteCount == 0 }

    /// Number of queued chunks not yet fully written (for tests).
    var chunkCount: Int { chunks.count - head }

    /// Queues `bytes` (by reference unless small and an owned tail can take them).
    mutating func append(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        if tailOwned && bytes.count <= OutboundQueue.copyThreshold {
            chunks[chunks.count - 1].append(contentsOf: bytes)
        } else {
            startChunk()
            chunks.append(bytes)
            tailOwned = false
        }
        byteCount += bytes.count
    }

    /// Appends to the owned tail (allocated with room for at least `capacity` more
    /// bytes when there is none): `body` may only append.
    mutating func appendInPlace(reserving capacity: Int, fresh: () -> [UInt8] = { [] }, _ body: (inout [UInt8]) -> Void) {
        if !tailOwned {
            startChunk()
            var buffer = fresh()
            buffer.removeAll(keepingCapacity: true)
            buffer.reserveCapacity(max(capacity, 512))
            chunks.append(buffer)
            tailOwned = true
        }
        let last = chunks.count - 1
        let before = chunks[last].count
        body(&chunks[last])
        byteCount += chunks[last].count - before
    }

    /// Resets the storage when everything queued so far has been written.
    private mutating func startChunk() {
        if head == chunks.count && head > 0 {
            chunks.removeAll(keepingCapacity: true)
            head = 0
            offset = 0
        }
    }

    /// Calls `write` with the unsent bytes of up to ``maxBatch`` chunks as `iovec`s; it
    /// returns how many bytes were written (or a negative value to stop). Repeats while
    /// everything offered was taken. Returns true once the queue is empty.
    mutating func drain(_ write: (UnsafeMutableBufferPointer<iovec>) -> Int) -> Bool {
        while head < chunks.count {
            let batch = min(chunks.count - head, OutboundQueue.maxBatch)
            let (written, offered) = withUnsafeTemporaryAllocation(of: iovec.self, capacity: batch) { iov in
                gather(iov, filled: 0, batch: batch, offered: 0, write)
            }
            if written < 0 { return false }
            consume(written)
            if written < offered { return false }
        }
        clear()
        return true
    }

    /// Fills `iov[filled...]` from nested `withUnsafeBytes` scopes (so every pointer is
    /// valid during `write`), then calls it.
    private func gather(_ iov: UnsafeMutableBufferPointer<iovec>, filled: Int, batch: Int, offered: Int,
                        _ write: (UnsafeMutableBufferPointer<iovec>) -> Int) -> (Int, Int) {
        if filled == batch { return (write(iov), offered) }
        return chunks[head + filled].withUnsafeBytes { raw in
            let start = filled == 0 ? offset : 0
            let length = raw.count - start
            iov[filled] = iovec(iov_base: UnsafeMutableRawPointer(mutating: raw.baseAddress.map { $0 + start }),
                                iov_len: length)
            return gather(iov, filled: filled + 1, batch: batch, offered: offered + length, write)
        }
    }

    /// Drops `count` written bytes from the front.
    private mutating func consume(_ count: Int) {
        var left = count
        byteCount -= count
        while left > 0 && head < chunks.count {
            let remaining = chunks[head].count - offset
            if left < remaining {
                offset += left
                return
            }
            left -= remaining
            if tailOwned && head == chunks.count - 1 {
                recycled = chunks[head]
            }
            chunks[head] = []
            head += 1
            offset = 0
        }
        if head == chunks.count { tailOwned = false }
    }

    private mutating func clear() {
        chunks.removeAll(keepingCapacity: true)
        head = 0
        offset = 0
        tailOwned = false
    }

    /// The owned buffer last written out completely, if any (empty it before reuse).
    mutating func takeRecycled() -> [UInt8]? {
        defer { recycled = nil }
        return recycled
    }

    mutating func removeAll() {
        recycled = nil
        chunks = []
        head = 0
        offset = 0
        byteCount = 0
        tailOwned = false
    }
}
