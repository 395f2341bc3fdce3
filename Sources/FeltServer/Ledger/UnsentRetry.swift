import FeltStore

/// Tries a ledger write again while its error says it never reached the server.
///
/// A write that found no free connection (an overloaded pool) or could not open one (a
/// database restarting) has applied nothing, so it is safe to repeat. Tables use this for
/// hands and cash-outs so that a burst of load or a short outage delays money movements
/// instead of stopping tables. A statement that was sent is never repeated (its outcome may
/// be unknown); such errors are thrown at once.
enum UnsentRetry {
    /// How long a never-sent write is tried again before the caller gives up.
    static let window: Duration = .seconds(60)

    /// Runs `body`, and again with growing pauses (50 ms doubling to 2 s) while it fails with
    /// a never-sent error and the window has not run out. `now` and `pause` are the clock and
    /// the sleep (tests pass virtual ones).
    static func run<T>(window: Duration = UnsentRetry.window,
                       now: () -> ContinuousClock.Instant = { ContinuousClock.now },
                       pause: (Duration) async -> Void = { try? await Task.sleep(for: $0) },
                       _ body: () async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        let giveUp = now() + window
        var delay = Duration.milliseconds(50)
        while true {
            do throws(DatabaseError) {
                return try await body()
            } catch where error.notSent && now() + delay < giveUp {
                await pause(delay)
                delay = min(delay * 2, .seconds(2))
            }
        }
    }
}
