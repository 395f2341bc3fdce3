import Foundation
import Synchronization

/// A fixed set of event loops, one thread each.
public final class EventLoopGroup: Sendable {
    /// The loops, in index order.
    public let loops: [EventLoop]
    private let cursor = Atomic<Int>(0)
    private let stopped = Atomic<Bool>(false)

    /// Starts `loopCount` loops (default: the number of active processor cores).
    public init(loopCount: Int = ProcessInfo.processInfo.activeProcessorCount) throws(NetworkError) {
        let count = max(1, loopCount)
        var made: [EventLoop] = []
        for index in 0..<count { made.append(try EventLoop(index: index)) }
        loops = made
        for loop in loops { loop.start() }
    }

    /// The next loop in round-robin order.
    public func next() -> EventLoop {
        let n = cursor.wrappingAdd(1, ordering: .relaxed).oldValue
        return loops[Int(UInt(bitPattern: n) % UInt(loops.count))]
    }

    /// A stable loop for `key`: the same key always maps to the same loop in a group
    /// of the same size (FNV-1a over the key's UTF-8 bytes, not `Hasher`, which is
    /// seeded per process).
    public func loop(forKey key: String) -> EventLoop {
        loops[Int(EventLoopGroup.stableHash(key) % UInt64(loops.count))]
    }

    /// FNV-1a 64-bit hash of the UTF-8 bytes of `key`.
    public static func stableHash(_ key: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Stops every loop after it runs the work already queued, and waits for the
    /// threads to exit. Must not be called from one of the group's loops.
    public func shutdown() {
        if stopped.exchange(true, ordering: .acquiringAndReleasing) { return }
        precondition(EventLoop.current.map { loop in !loops.contains { $0 === loop } } ?? true,
                     "EventLoopGroup.shutdown() called from one of its own loops")
        for loop in loops { loop.stop() }
        for loop in loops { loop.waitUntilStopped() }
    }
}
