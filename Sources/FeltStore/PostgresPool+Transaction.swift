/// Isolation levels for `PostgresPool.transaction`.
public enum TransactionIsolation: String, Sendable {
    /// PostgreSQL's default.
    case readCommitted = "READ COMMITTED"
    /// One snapshot for the whole transaction.
    case repeatableRead = "REPEATABLE READ"
    /// Full serializability; may fail with `serialization_failure`.
    case serializable = "SERIALIZABLE"
}

/// A connection checked out for one transaction. Statements run in order on the same session;
/// `SET LOCAL` inside the transaction is allowed and ends with it.
public struct PostgresTransaction: Sendable {
    let connection: PostgresConnection

    /// Runs one parameterized statement inside the transaction.
    public func query(_ sql: String, _ parameters: [PostgresValue] = []) async throws(DatabaseError) -> QueryResult {
        try await connection.run(inTransaction: true) { connection throws(DatabaseError) in
            try connection.execute(sql, parameters)
        }
    }

    /// Runs trusted multi-statement SQL without parameters inside the transaction.
    public func execute(script sql: String) async throws(DatabaseError) {
        try await connection.run(inTransaction: true) { connection throws(DatabaseError) in
            try connection.executeScript(sql)
        }
    }
}

extension PostgresPool {
    /// Runs `body` inside BEGIN … COMMIT on one connection; any error rolls back and is rethrown.
    ///
    /// The body maps its own failures to `DatabaseError`; a failed COMMIT (for example a deferred
    /// constraint or a serialization failure) is reported as thrown.
    ///
    /// With `retries` > 0, a transaction that fails with `serialization_failure` (SQLSTATE 40001
    /// or a deadlock) is rolled back and run again from the start, up to `retries` more times.
    public func transaction<T>(isolation: TransactionIsolation = .readCommitted, retries: Int = 0,
                               _ body: (PostgresTransaction) async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        var attempt = 0
        while true {
            do {
                return try await transactionOnce(isolation: isolation, body)
            } catch where error.code == .serializationFailure && attempt < retries {
                attempt += 1
                log("retrying transaction after serialization failure (attempt \(attempt + 1)): \(error.message)")
            }
        }
    }

    private func transactionOnce<T>(isolation: TransactionIsolation,
                                    _ body: (PostgresTransaction) async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        let connection = try await acquire()
        defer { release(connection) }
        let begin = isolation == .readCommitted ? "BEGIN" : "BEGIN ISOLATION LEVEL \(isolation.rawValue)"
        try await connection.run { connection throws(DatabaseError) in try connection.executeScript(begin) }
        let transaction = PostgresTransaction(connection: connection)
        do {
            let value = try await body(transaction)
            try await connection.run(inTransaction: true) { connection throws(DatabaseError) in
                try connection.commit()
            }
            return value
        } catch {
            _ = try? await connection.run(inTransaction: true) { connection throws(DatabaseError) in
                try connection.executeScript("ROLLBACK")
            }
            throw error
        }
    }
}
