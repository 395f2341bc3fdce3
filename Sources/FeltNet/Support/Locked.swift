import Foundation

/// A value guarded by a lock, shareable across threads and event loops.
///
/// Used for the few pieces of state that several loops touch (the host map, the
/// per-address connection counts, the job queue of a loop).
public final class Locked<Value>: @unchecked Sendable {
    // @unchecked Sendable: `value` is only read or written while `lock` is held.
    private let lock = NSLock()
    private var value: Value

    /// Wraps `value`.
    public init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value.
    public func withLock<R>(_ body: (inout Value) throws -> R) rethrows -> R {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }
}
