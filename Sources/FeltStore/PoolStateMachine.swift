/// The pool's bookkeeping as a value type: which connections exist and are idle, who waits,
/// and what to do on checkout, release, timeout and close. No I/O; the pool performs the actions.
struct PoolStateMachine<Connection, Waiter> {
    /// Most connections the pool may open.
    let maxConnections: Int
    private(set) var all: [Connection] = []
    private(set) var idle: [Connection] = []
    private(set) var waiters: [(id: UInt64, waiter: Waiter)] = []
    private var nextWaiterID: UInt64 = 0
    private(set) var closed = false

    init(maxConnections: Int) {
        self.maxConnections = max(1, maxConnections)
    }

    /// What a checkout leads to.
    enum CheckoutAction {
        /// Use this idle connection.
        case use(Connection)
        /// Open a new connection (already counted; the caller must `opened` it).
        case open
        /// Wait; the waiter was queued under this id.
        case wait(UInt64)
        /// The pool is closed.
        case closed
    }

    /// A request for a connection. `reserveBudget` is asked only when a new connection would be
    /// opened and returns whether the global budget granted a slot.
    mutating func checkout(waiter: Waiter, reserveBudget: () -> Bool) -> CheckoutAction {
        if closed { return .closed }
        if let connection = idle.popLast() { return .use(connection) }
        if all.count + pendingOpens < maxConnections && reserveBudget() {
            pendingOpens += 1
            return .open
        }
        nextWaiterID += 1
        waiters.append((nextWaiterID, waiter))
        return .wait(nextWaiterID)
    }

    private var pendingOpens = 0

    /// Records a connection opened after `.open`.
    mutating func opened(_ connection: Connection) {
        pendingOpens = max(0, pendingOpens - 1)
        all.append(connection)
    }

    /// What a release leads to.
    enum ReleaseAction {
        /// Give the connection to this waiter.
        case handOver(Waiter)
        /// Keep it idle.
        case parked
        /// The pool is closed: close the connection.
        case close
    }

    /// A connection comes back; the longest waiter gets it first.
    mutating func release(_ connection: Connection) -> ReleaseAction {
        if closed { return .close }
        if !waiters.isEmpty { return .handOver(waiters.removeFirst().waiter) }
        idle.append(connection)
        return .parked
    }

    /// The waiter's time is up: removes and returns it, unless it was already served.
    mutating func expire(_ id: UInt64) -> Waiter? {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
        return waiters.remove(at: index).waiter
    }

    /// Closes the pool: returns every connection to close and every waiter to fail.
    mutating func close() -> (connections: [Connection], waiters: [Waiter]) {
        closed = true
        defer {
            all = []
            idle = []
            waiters = []
        }
        return (all, waiters.map(\.waiter))
    }
}
