/// The loop as a Swift executor: jobs are queued (from any thread) and run on the
/// loop's thread in FIFO order.
extension EventLoop: SerialExecutor, TaskExecutor {
    /// Queues `job` to run on this loop's thread.
    public func enqueue(_ job: consuming ExecutorJob) {
        enqueueJob(UnownedJob(job))
    }

    /// This loop as the serial executor of an actor pinned to it.
    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    /// This loop as a task executor preference.
    public func asUnownedTaskExecutor() -> UnownedTaskExecutor {
        UnownedTaskExecutor(ordinary: self)
    }

    /// Two loops are the same execution context only when they are the same loop.
    public func isSameExclusiveExecutionContext(other: EventLoop) -> Bool {
        self === other
    }

    /// Traps unless called on this loop's thread (used by `assumeIsolated`).
    public func checkIsolated() {
        precondition(inEventLoop, "not on event loop \(index)")
    }
}
