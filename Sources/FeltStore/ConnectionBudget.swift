/// A process-wide cap on open PostgreSQL connections, shared by every `PostgresPool`
/// (the server has one `max_connections` for all tenants and pools).
public final class ConnectionBudget: Sendable {
    /// The budget pools use unless given another.
    public static let shared = ConnectionBudget(limit: 64)

    private let state: Locked<(limit: Int, inUse: Int)>

    /// A budget of `limit` connections.
    public init(limit: Int) {
        state = Locked((max(1, limit), 0))
    }

    /// Changes the cap; connections already open above a lowered cap stay open.
    public func setLimit(_ limit: Int) {
        state.withLock { $0.limit = max(1, limit) }
    }

    /// The cap.
    public var limit: Int { state.withLock { $0.limit } }
    /// Connections currently counted against the cap.
    public var inUse: Int { state.withLock { $0.inUse } }

    /// Takes one slot if one is free.
    func tryAcquire() -> Bool {
        state.withLock { value in
            guard value.inUse < value.limit else { return false }
            value.inUse += 1
            return true
        }
    }

    /// Gives a slot back.
    func release() {
        state.withLock { $0.inUse = max(0, $0.inUse - 1) }
    }
}
