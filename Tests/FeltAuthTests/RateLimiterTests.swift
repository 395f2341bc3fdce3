import Testing
@testable import FeltAuth

@Suite struct RateLimiterTests {
    private func limiter(_ count: Int, per period: Double, clock: ManualClock, maximumKeys: Int = 1000) throws -> RateLimiter {
        RateLimiter(limit: try #require(RateLimit(count: count, period: period)), maximumKeys: maximumKeys, clock: clock.clock)
    }

    @Test func allowsTheBurstThenLimitsWithRetryAfter() throws {
        let clock = ManualClock(100)
        let limiter = try limiter(5, per: 60, clock: clock)
        for _ in 0..<5 { #expect(limiter.attempt("login:ip:1.2.3.4") == .allowed) }
        #expect(limiter.attempt("login:ip:1.2.3.4") == .limited(retryAfter: 12))
        clock.advance(by: 11)
        #expect(limiter.attempt("login:ip:1.2.3.4") == .limited(retryAfter: 1))
        clock.advance(by: 1)
        #expect(limiter.attempt("login:ip:1.2.3.4") == .allowed)
        #expect(limiter.attempt("login:ip:1.2.3.4") == .limited(retryAfter: 12))
    }

    @Test func refusedAttemptsAreNotCharged() throws {
        let clock = ManualClock(0)
        let limiter = try limiter(2, per: 10, clock: clock)
        #expect(limiter.attempt("k") == .allowed)
        #expect(limiter.attempt("k") == .allowed)
        for _ in 0..<50 { #expect(!limiter.attempt("k").isAllowed) }
        clock.advance(by: 5)
        #expect(limiter.attempt("k") == .allowed)
    }

    @Test func keysAreIndependent() throws {
        let clock = ManualClock(0)
        let limiter = try limiter(1, per: 60, clock: clock)
        #expect(limiter.attempt("login:user:alice") == .allowed)
        #expect(!limiter.attempt("login:user:alice").isAllowed)
        #expect(limiter.attempt("login:user:bob") == .allowed)
    }

    @Test func multiKeyAttemptIsAllOrNothing() throws {
        let clock = ManualClock(0)
        let limiter = try limiter(2, per: 60, clock: clock)
        #expect(limiter.attempt(keys: ["ip:1", "user:alice"]) == .allowed)
        #expect(limiter.attempt(keys: ["ip:2", "user:alice"]) == .allowed)
        // alice is exhausted: ip:3 must not be charged by the refused attempt.
        #expect(limiter.attempt(keys: ["ip:3", "user:alice"]) == .limited(retryAfter: 30))
        #expect(limiter.attempt("ip:3") == .allowed)
        #expect(limiter.attempt("ip:3") == .allowed)
        #expect(!limiter.attempt("ip:3").isAllowed)
    }

    @Test func resetForgetsAKey() throws {
        let clock = ManualClock(0)
        let limiter = try limiter(1, per: 60, clock: clock)
        #expect(limiter.attempt("user:alice") == .allowed)
        limiter.reset("user:alice")
        #expect(limiter.attempt("user:alice") == .allowed)
    }

    @Test func memoryStaysBoundedAndIdleKeysAreEvicted() throws {
        let clock = ManualClock(0)
        let limiter = try limiter(3, per: 60, clock: clock, maximumKeys: 100)
        for index in 0..<1000 { _ = limiter.attempt("ip:\(index)") }
        #expect(limiter.trackedKeys <= 100)
        // A hammered key survives eviction of the mildly used ones.
        let busy = try self.limiter(3, per: 60, clock: clock, maximumKeys: 100)
        for _ in 0..<3 { _ = busy.attempt("attacker") }
        for index in 0..<500 { _ = busy.attempt("ip:\(index)") }
        #expect(!busy.attempt("attacker").isAllowed)
        // Once every bucket is full again, keys are idle and dropped on the next sweep.
        clock.advance(by: 120)
        for _ in 0..<4096 { _ = limiter.attempt("fresh") ; limiter.reset("fresh") }
        #expect(limiter.trackedKeys <= 1)
    }

    @Test func isSafeUnderConcurrentUse() async throws {
        let clock = ManualClock(0)
        let limiter = try limiter(100, per: 60, clock: clock)
        let allowed = await withTaskGroup(of: Int.self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<50).reduce(0) { count, _ in count + (limiter.attempt("shared").isAllowed ? 1 : 0) } }
            }
            return await group.reduce(0, +)
        }
        #expect(allowed == 100)
    }

    @Test func rateRequiresPositiveCountAndPeriod() {
        #expect(RateLimit(count: 0, period: 60) == nil)
        #expect(RateLimit(count: 5, period: 0) == nil)
        #expect(RateLimit(count: 5, period: .infinity) == nil)
    }
}
