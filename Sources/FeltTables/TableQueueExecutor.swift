import Dispatch

/// A serial executor backed by a private Dispatch queue: the default for a `TableActor`
/// that is not pinned to an event loop (tests, tools).
public final class TableQueueExecutor: SerialExecutor, @unchecked Sendable {
    // @unchecked Sendable: the only stored property is an immutable DispatchQueue, which is
    // itself safe to use from any thread.
    private let queue: DispatchQueue

    /// Creates an executor with its own serial queue.
    public init(label: String = "felt.table") {
        queue = DispatchQueue(label: label)
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        let unownedJob = UnownedJob(job)
        let executor = asUnownedSerialExecutor()
        queue.async { unownedJob.runSynchronously(on: executor) }
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }
}
