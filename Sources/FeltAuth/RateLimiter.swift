import Foundation

/// A rate: `count` events per `period` seconds.
public struct RateLimit: Sendable, Equatable {
    /// Events allowed per period (the burst size).
    public let count: Int
    /// The period in seconds.
    public let period: Double

    /// `count` per `period` seconds; both must be positive.
    public init?(count: Int, period: Double) {
        guard count > 0, period > 0, period.isFinite else { return nil }
        self.count = count
        self.period = period
    }
}

/// The outcome of a rate-limited attempt.
public enum RateLimitDecision: Sendable, Equatable {
    /// Go ahead.
    case allowed
    /// Refused; retry after this many whole seconds (`Retry-After`, at least 1).
    case limited(retryAfter: Int)

    /// Whether the attempt was allowed.
    public var isAllowed: Bool { self == .allowed }
}

/// Per-key rate limiter ("login:ip:1.2.3.4", "login:user:alice"): `count` per `period`
/// with bursts up to `count`, as a GCRA (a token bucket kept as one timestamp per key).
///
/// Thread-safe (one lock, no awaits: callable from an event loop). Memory is bounded:
/// keys whose bucket is full again are idle and evicted; beyond `maximumKeys` the
/// least-limited keys are dropped first.
public final class RateLimiter: @unchecked Sendable {
    // @unchecked Sendable: all mutable state (`state`) is only touched under `lock`.
    /// The configured rate.
    public let limit: RateLimit
    /// Upper bound on tracked keys.
    public let maximumKeys: Int
    private let clock: AuthClock
    private let lock = NSLock()
    private var state: [String: Double] = [:] // key → theoretical arrival time
    private var operationsSinceSweep = 0

    /// A limiter for `limit`, tracking at most `maximumKeys` keys, reading time from `clock`.
    public init(limit: RateLimit, maximumKeys: Int = 100_000, clock: AuthClock = .monotonic) {
        self.limit = limit
        self.maximumKeys = max(1, maximumKeys)
        self.clock = clock
    }

    private var interval: Double { limit.period / Double(limit.count) }

    /// Records one attempt for `key` if allowed.
    public func attempt(_ key: String) -> RateLimitDecision {
        attempt(keys: [key])
    }

    /// One attempt counted against every key, all or nothing: allowed only when every
    /// key allows it (then each is charged); otherwise nothing is charged and the
    /// longest wait is returned.
    public func attempt(keys: [String]) -> RateLimitDecision {
        let now = clock.now()
        return lock.withLock {
            let interval = self.interval
            // Rounding slack, so that `count` equal steps exactly fill the period.
            let epsilon = limit.period * 1e-9
            var worstWait = 0.0
            var newTimes: [Double] = []
            newTimes.reserveCapacity(keys.count)
            for key in keys {
                let tat = max(state[key] ?? now, now)
                let next = tat + interval
                let wait = next - now - limit.period
                if wait > epsilon { worstWait = max(worstWait, wait) }
                newTimes.append(next)
            }
            if worstWait > 0 { return .limited(retryAfter: max(1, Int(worstWait.rounded(.up)))) }
            for (key, next) in zip(keys, newTimes) { state[key] = next }
            maintain(now: now)
            return .allowed
        }
    }

    /// Forgets `key` (e.g. clear the per-user counter after a successful login).
    public func reset(_ key: String) {
        lock.withLock { _ = state.removeValue(forKey: key) }
    }

    /// Number of keys currently tracked.
    public var trackedKeys: Int { lock.withLock { state.count } }

    /// Drops idle keys now and then, and enforces the key bound. Call under `lock`.
    private func maintain(now: Double) {
        operationsSinceSweep += 1
        guard state.count > maximumKeys || operationsSinceSweep >= 4096 else { return }
        operationsSinceSweep = 0
        state = state.filter { $0.value > now }
        if state.count > maximumKeys {
            // Keep the most-limited keys; drop the ones closest to a full bucket.
            let keep = state.sorted { $0.value > $1.value }.prefix(maximumKeys * 9 / 10)
            state = Dictionary(uniqueKeysWithValues: keep.map { ($0.key, $0.value) })
        }
    }
}
