import Foundation

/// Dedicated threads for blocking work (file I/O, password hashing) that must never
/// run on an event loop or on Swift's cooperative pool; `run` suspends the caller
/// until the work is done.
///
/// Plain threads rather than a Dispatch queue: on Linux the cooperative pool and
/// Dispatch's global queues share worker threads, so blocking them delays every task.
public enum BlockingPool {
    static let shared = BlockingThreadPool(threadCount: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// Runs `body` on a blocking-pool thread and returns its result to the caller.
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            shared.submit {
                do { continuation.resume(returning: try body()) } catch { continuation.resume(throwing: error) }
            }
        }
    }
}

/// A fixed set of threads taking closures from a FIFO queue.
final class BlockingThreadPool: @unchecked Sendable {
    // @unchecked Sendable: `work` is only touched while `condition` is locked.
    private let condition = NSCondition()
    private var work: [@Sendable () -> Void] = []
    private var head = 0

    init(threadCount: Int) {
        for index in 0..<threadCount {
            let thread = Thread { [self] in self.serve() }
            thread.name = "felt-blocking-\(index)"
            thread.start()
        }
    }

    func submit(_ body: @escaping @Sendable () -> Void) {
        condition.lock()
        work.append(body)
        condition.signal()
        condition.unlock()
    }

    private func serve() {
        while true {
            condition.lock()
            while head == work.count { condition.wait() }
            let body = work[head]
            head += 1
            if head == work.count {
                work.removeAll(keepingCapacity: true)
                head = 0
            }
            condition.unlock()
            body()
        }
    }
}
