/// Sleeping on a loop's own timer heap.
extension EventLoop {
    /// Suspends the caller for `duration` using this loop's timers, then resumes it.
    ///
    /// Unlike `Task.sleep`, the wake-up does not pass through Swift's global executor,
    /// so code pinned to a loop (a table's turn clock) keeps its timing even when the
    /// cooperative pool is busy. Throws `CancellationError` if the task is cancelled
    /// (the timer is dropped).
    public func sleep(for duration: Duration) async throws {
        let sleeper = LoopSleeper()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, Error>) in
                guard sleeper.install(continuation) else { return }
                let timer = schedule(after: duration) { sleeper.finish(nil) }
                sleeper.attach(timer)
            }
        } onCancel: {
            sleeper.finish(CancellationError())
        }
    }
}

/// One pending `EventLoop.sleep`: resumed exactly once, by its timer or by cancellation.
final class LoopSleeper: Sendable {
    private struct State {
        var continuation: CheckedContinuation<Void, Error>?
        var timer: EventLoopTimer?
        var done = false
        var cancelledEarly = false
    }

    private let state = Locked(State())

    /// Stores the continuation; false (and resumed with cancellation) if already cancelled.
    func install(_ continuation: CheckedContinuation<Void, Error>) -> Bool {
        let cancelled = state.withLock { state -> Bool in
            if state.cancelledEarly { state.done = true; return true }
            state.continuation = continuation
            return false
        }
        if cancelled { continuation.resume(throwing: CancellationError()) }
        return !cancelled
    }

    func attach(_ timer: EventLoopTimer) {
        let cancelNow = state.withLock { state -> Bool in
            if state.done { return true }
            state.timer = timer
            return false
        }
        if cancelNow { timer.cancel() }
    }

    /// Resumes the sleeper (error nil: the time passed).
    func finish(_ error: Error?) {
        let (continuation, timer) = state.withLock { state -> (CheckedContinuation<Void, Error>?, EventLoopTimer?) in
            if state.done { return (nil, nil) }
            guard let continuation = state.continuation else {
                if error != nil { state.cancelledEarly = true }
                return (nil, nil)
            }
            state.done = true
            state.continuation = nil
            return (continuation, state.timer)
        }
        guard let continuation else { return }
        if let error {
            timer?.cancel()
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}
