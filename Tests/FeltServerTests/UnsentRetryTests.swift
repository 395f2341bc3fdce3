@testable import FeltServer
import FeltStore
import Synchronization
import Testing

/// Ledger writes that never reached the database are repeated; sent ones never are.
@Suite("Retrying ledger writes that were never sent")
struct UnsentRetryTests {
    @Test func aWriteThatFoundNoConnectionIsRepeatedUntilItGoesThrough() async throws {
        let calls = Mutex(0)
        let value = try await UnsentRetry.run(window: .seconds(10)) { () async throws(DatabaseError) -> Int in
            let n = calls.withLock { $0 += 1; return $0 }
            if n < 3 { throw DatabaseError(.databaseUnavailable, "no database connection became free").markedNotSent() }
            return 42
        }
        #expect(value == 42)
        #expect(calls.withLock { $0 } == 3)
    }

    @Test func aWriteThatReachedTheServerIsNeverRepeated() async {
        let calls = Mutex(0)
        let error = await #expect(throws: DatabaseError.self) {
            try await UnsentRetry.run(window: .seconds(10)) { () async throws(DatabaseError) -> Int in
                calls.withLock { $0 += 1 }
                throw DatabaseError(.databaseUnavailable, "the connection was lost during a transaction")
            }
        }
        #expect(error?.notSent == false)
        #expect(calls.withLock { $0 } == 1)
    }

    @Test func aWriteThatNeverGetsThroughFailsWhenTheWindowRunsOut() async {
        let calls = Mutex(0)
        let clock = ContinuousClock()
        let started = clock.now
        let error = await #expect(throws: DatabaseError.self) {
            try await UnsentRetry.run(window: .milliseconds(300)) { () async throws(DatabaseError) -> Int in
                calls.withLock { $0 += 1 }
                throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable").markedNotSent()
            }
        }
        #expect(error?.notSent == true)
        // 50 + 100 ms of pauses fit in the window, the next 200 ms would not: three tries
        // (two when a loaded machine oversleeps the first pause) — repeated, then given up.
        #expect((2...3).contains(calls.withLock { $0 }))
        #expect(clock.now - started < .seconds(30))
    }
}
