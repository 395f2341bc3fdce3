import Dispatch
import Foundation
import Synchronization

/// A bounded pool of PostgreSQL connections, each driven by its own dedicated thread.
///
/// Callers `await`; no libpq call ever runs on an event loop or the cooperative pool. When the
/// server goes away, requests fail quickly with `database_unavailable`, and each connection
/// reconnects by itself on its next use once the server is back.
public final class PostgresPool: Sendable {
    /// Pool settings (plain values; the server maps its configuration onto them).
    public struct Configuration: Sendable {
        /// Where to connect.
        public var connection: PostgresConnectionInfo
        /// Most connections this pool opens.
        public var maxConnections: Int
        /// libpq `connect_timeout` in seconds (libpq treats values below 2 as 2).
        public var connectTimeout: Int
        /// `statement_timeout` for every statement, in milliseconds (0: none).
        public var queryTimeoutMilliseconds: Int
        /// How long a request may wait for a free connection before failing, in seconds.
        public var acquireTimeout: Double
        /// `application_name` reported to the server.
        public var applicationName: String

        /// Settings with sensible defaults.
        public init(connection: PostgresConnectionInfo, maxConnections: Int = 8, connectTimeout: Int = 5,
                    queryTimeoutMilliseconds: Int = 30_000, acquireTimeout: Double = 10,
                    applicationName: String = "felt") {
            self.connection = connection
            self.maxConnections = max(1, maxConnections)
            self.connectTimeout = connectTimeout
            self.queryTimeoutMilliseconds = queryTimeoutMilliseconds
            self.acquireTimeout = acquireTimeout
            self.applicationName = applicationName
        }
    }

    /// The settings this pool was made with.
    public let configuration: Configuration
    private let budget: ConnectionBudget
    let log: @Sendable (String) -> Void
    private let conninfo: String
    private let state: Locked<PoolStateMachine<PostgresConnection, Waiter>>
    private let nextConnectionID = Locked(0)
    private let roundTripCounter = RoundTripCounter()

    typealias Waiter = CheckedContinuation<Result<PostgresConnection, DatabaseError>, Never>

    /// A pool; connections open lazily on first use.
    public init(configuration: Configuration, budget: ConnectionBudget = .shared,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.budget = budget
        self.log = log
        self.state = Locked(PoolStateMachine(maxConnections: configuration.maxConnections))
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c client_min_messages=notice"
        if configuration.queryTimeoutMilliseconds > 0 {
            options += " -c statement_timeout=\(configuration.queryTimeoutMilliseconds)"
        }
        self.conninfo = configuration.connection.adding([
            ("connect_timeout", String(max(2, configuration.connectTimeout))),
            ("application_name", configuration.applicationName),
            ("client_encoding", "UTF8"),
            ("options", options),
        ])
    }

    deinit {
        close()
    }

    /// Connections opened so far (idle or busy).
    public var openConnections: Int { state.withLock { $0.all.count } }

    /// A snapshot of the pool for metrics.
    public struct Statistics: Sendable, Equatable {
        /// Connections opened (idle or busy).
        public let open: Int
        /// Connections idle right now.
        public let idle: Int
        /// Requests waiting for a connection.
        public let waiting: Int
    }

    /// Jobs handed to connection threads so far: each is one thread hop and (apart from the
    /// first statement of a new SQL text on a connection, which also prepares it) one round
    /// trip to the server. For benchmarks.
    public var roundTrips: Int { roundTripCounter.value }

    /// Current counts (open, idle, waiting).
    public var statistics: Statistics {
        state.withLock { Statistics(open: $0.all.count, idle: $0.idle.count, waiting: $0.waiters.count) }
    }

    /// Runs one parameterized statement (prepared and cached per connection).
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(DatabaseError) -> QueryResult {
        let connection = try await acquire()
        defer { release(connection) }
        return try await connection.run { connection throws(DatabaseError) in try connection.execute(sql, parameters) }
    }

    /// Runs trusted multi-statement SQL without parameters (simple query protocol).
    public func execute(script sql: String) async throws(DatabaseError) {
        let connection = try await acquire()
        defer { release(connection) }
        try await connection.run { connection throws(DatabaseError) in try connection.executeScript(sql) }
    }

    /// Quotes `name` as an SQL identifier with `PQescapeIdentifier`.
    public func escapeIdentifier(_ name: String) async throws(DatabaseError) -> String {
        let connection = try await acquire()
        defer { release(connection) }
        return try await connection.run { connection throws(DatabaseError) in try connection.escapeIdentifier(name) }
    }

    /// Closes every connection; later requests fail with `pool_closed`.
    public func close() {
        let (connections, waiters) = state.withLock { $0.close() }
        for waiter in waiters { waiter.resume(returning: .failure(DatabaseError(.poolClosed, "the pool is closed"))) }
        for connection in connections {
            connection.close()
            budget.release()
        }
    }

    // MARK: Checkout

    func acquire() async throws(DatabaseError) -> PostgresConnection {
        let result: Result<PostgresConnection, DatabaseError> = await withCheckedContinuation { continuation in
            let action = state.withLock { $0.checkout(waiter: continuation, reserveBudget: budget.tryAcquire) }
            switch action {
            case .use(let connection):
                continuation.resume(returning: .success(connection))
            case .open:
                let id = nextConnectionID.withLock { value -> Int in
                    value += 1
                    return value
                }
                // Connecting happens lazily on the connection's own thread at its first job.
                let connection = PostgresConnection(id: id, conninfo: conninfo, roundTrips: roundTripCounter, log: log)
                state.withLock { $0.opened(connection) }
                continuation.resume(returning: .success(connection))
            case .closed:
                continuation.resume(returning: .failure(DatabaseError(.poolClosed, "the pool is closed")))
            case .wait(let id):
                let timeout = configuration.acquireTimeout
                DispatchQueue.global().asyncAfter(deadline: .now() + timeout) { [state] in
                    let expired = state.withLock { $0.expire(id) }
                    expired?.resume(returning: .failure(DatabaseError(
                        .databaseUnavailable, "no database connection became free within \(timeout)s").markedNotSent()))
                }
            }
        }
        return try result.get()
    }

    func release(_ connection: PostgresConnection) {
        switch state.withLock({ $0.release(connection) }) {
        case .handOver(let waiter):
            waiter.resume(returning: .success(connection))
        case .parked:
            break
        case .close:
            break  // `close()` already closed it and returned its budget slot.
        }
    }
}

/// Counts the jobs run on connection threads (`PostgresPool.roundTrips`).
final class RoundTripCounter: Sendable {
    private let count = Atomic<Int>(0)

    func add() { count.add(1, ordering: .relaxed) }

    var value: Int { count.load(ordering: .relaxed) }
}
