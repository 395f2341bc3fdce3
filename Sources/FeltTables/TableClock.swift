#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// The table's notion of "now" in unix milliseconds (injectable for tests).
public protocol TableClock: Sendable {
    /// Milliseconds since 1970-01-01 UTC.
    func nowMillis() -> Int64
}

/// The system wall clock.
public struct SystemTableClock: TableClock {
    /// Creates the clock.
    public init() {}

    public func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}

/// A clock that only moves when told to (tests, simulations).
public final class ManualTableClock: TableClock {
    private let now: Atomic<Int64>

    /// Creates the clock at `start` (unix ms).
    public init(start: Int64) { now = Atomic(start) }

    public func nowMillis() -> Int64 { now.load(ordering: .acquiring) }

    /// Sets the time.
    public func set(_ millis: Int64) { now.store(millis, ordering: .releasing) }

    /// Moves the time forward.
    public func advance(by millis: Int64) { now.add(millis, ordering: .acquiringAndReleasing) }
}
