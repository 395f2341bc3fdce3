@testable import FeltServer
import FeltStore
import Synchronization
import Testing

/// A clock that moves only when the code under test pauses.
private final class VirtualClock: Sendable {
    let start = ContinuousClock.now
    let elapsed = Mutex(Duration.zero)
    let pauses = Mutex([Duration]())
    func now() -> ContinuousClock.Instant { start + elapsed.withLock { $0 } }
    func pause(_ d: Duration) async {
        elapsed.withLock { $0 += d }
        pauses.withLock { $0.append(d) }
    }
}

/// Ledger writes that never reached the database are repeated; sent ones never are.
@Suite("Retrying ledger writes that were never sent")
struct UnsentRetryTests {
    @Test func aWriteThatFoundNoConnectionIsRepeatedUntilItGoesThrough() async throws {
        let clock = VirtualClock()
        let calls = Mutex(0)
        let value = try await UnsentRetry.run(window: .seconds(60), now: clock.now, pause: clock.pause) { () async throws(DatabaseError) -> Int in
            let n = calls.withLock { $0 += 1; return $0 }
            if n < 3 { throw DatabaseError(.databaseUnavailable, "no database connection became free").markedNotSent() }
            return 42
        }
        #expect(value == 42)
        #expect(calls.withLock { $0 } == 3)
        #expect(clock.pauses.withLock { $0 } == [.milliseconds(50), .milliseconds(100)])
    }

    @Test func aWriteThatReachedTheServerIsNeverRepeated() async {
        let clock = VirtualClock()
        let calls = Mutex(0)
        let error = await #expect(throws: DatabaseError.self) {
            try await UnsentRetry.run(window: .seconds(60), now: clock.now, pause: clock.pause) { () async throws(DatabaseError) -> Int in
                calls.withLock { $0 += 1 }
                throw DatabaseError(.databaseUnavailable, "the connection was lost during a transaction")
            }
        }
        #expect(error?.notSent == false)
        #expect(calls.withLock { $0 } == 1)
        #expect(clock.pauses.withLock { $0 }.isEmpty)
    }

    @Test func aWriteThatNeverGetsThroughFailsWhenTheWindowRunsOut() async {
        let clock = VirtualClock()
        let calls = Mutex(0)
        let error = await #expect(throws: DatabaseError.self) {
            try await UnsentRetry.run(window: .seconds(10), now: clock.now, pause: clock.pause) { () async throws(DatabaseError) -> Int in
                calls.withLock { $0 += 1 }
                throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable").markedNotSent()
            }
        }
        #expect(error?.notSent == true)
        // Pauses 50, 100, …, 1600 ms, then 2 s each, while they end inside the 10 s window.
        let pauses = clock.pauses.withLock { $0 }
        #expect(pauses.prefix(6) == [.milliseconds(50), .milliseconds(100), .milliseconds(200),
                                     .milliseconds(400), .milliseconds(800), .milliseconds(1600)])
        #expect(pauses.dropFirst(6).allSatisfy { $0 == .seconds(2) })
        #expect(pauses.reduce(.zero, +) < .seconds(10))
        #expect(pauses.reduce(.zero, +) + .seconds(2) >= .seconds(10))
        #expect(calls.withLock { $0 } == pauses.count + 1)
    }
}
