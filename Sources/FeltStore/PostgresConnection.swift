import CLibPQ
import Foundation

/// One libpq connection and the dedicated thread that drives it.
///
/// Every libpq call happens on `thread`; async callers submit work and are resumed through a
/// continuation. A lost connection is re-established (`PQreset`) before the next piece of work.
final class PostgresConnection: @unchecked Sendable {
    // @unchecked Sendable: `conn`, `statements` and `nextStatement` are only touched by jobs
    // running on `thread`, which runs them one at a time.
    private var conn: OpaquePointer?
    private var statements: [String: String] = [:]
    private var nextStatement = 0
    private let thread: ConnectionThread
    private let conninfo: String
    private let notices: NoticeSink
    private let roundTrips: RoundTripCounter?
    let id: Int
    static let statementCacheLimit = 512

    init(id: Int, conninfo: String, roundTrips: RoundTripCounter? = nil, log: @escaping @Sendable (String) -> Void) {
        self.id = id
        self.conninfo = conninfo
        self.roundTrips = roundTrips
        self.notices = NoticeSink(log: log)
        self.thread = ConnectionThread(name: "felt-pg-\(id)")
    }

    /// Runs `work` on the connection's thread, after making sure the connection is up.
    ///
    /// Outside a transaction a lost connection is re-established first; inside one
    /// (`inTransaction`) a lost connection fails, since the transaction is gone with it.
    func run<T: Sendable>(inTransaction: Bool = false, _ work: @escaping @Sendable (PostgresConnection) throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
        roundTrips?.add()
        let result: Result<T, DatabaseError> = await withCheckedContinuation { continuation in
            let accepted = thread.submit {
                do throws(DatabaseError) {
                    if inTransaction {
                        try self.ensureStillConnected()
                    } else {
                        try self.ensureConnected()
                    }
                    continuation.resume(returning: .success(try work(self)))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
            if !accepted { continuation.resume(returning: .failure(DatabaseError(.poolClosed, "the pool is closed"))) }
        }
        return try result.get()
    }

    /// Closes the connection and ends its thread.
    func close() {
        thread.submit {
            if let conn = self.conn { PQfinish(conn) }
            self.conn = nil
        }
        thread.stop()
    }

    // MARK: On the connection thread only

    private func ensureStillConnected() throws(DatabaseError) {
        guard let conn, PQstatus(conn) == CONNECTION_OK else {
            throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable: the connection was lost during a transaction")
        }
    }

    private func ensureConnected() throws(DatabaseError) {
        if let conn {
            // Read whatever the server sent while idle (e.g. a shutdown notice and EOF), which
            // turns a silently dead connection into CONNECTION_BAD before it is used.
            if PQstatus(conn) == CONNECTION_OK { _ = PQconsumeInput(conn) }
            if PQstatus(conn) == CONNECTION_OK && PQtransactionStatus(conn) == PQTRANS_IDLE { return }
            if PQstatus(conn) == CONNECTION_OK {
                // Left inside a transaction by an interrupted caller: roll it back.
                if let result = PQexec(conn, "ROLLBACK") { PQclear(result) }
                if PQstatus(conn) == CONNECTION_OK { return }
            }
            statements.removeAll()
            PQreset(conn)
            if PQstatus(conn) == CONNECTION_OK {
                PQsetNoticeReceiver(conn, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
                notices.log("postgres connection \(id): reconnected")
                return
            }
            throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable: " + Self.message(conn)).markedNotSent()
        }
        guard let fresh = PQconnectdb(conninfo) else {
            throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable: out of memory").markedNotSent()
        }
        conn = fresh
        statements.removeAll()
        guard PQstatus(fresh) == CONNECTION_OK else {
            throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable: " + Self.message(fresh)).markedNotSent()
        }
        PQsetNoticeReceiver(fresh, noticeReceiver, Unmanaged.passUnretained(notices).toOpaque())
    }

    /// Runs a parameterized statement through a per-connection prepared statement cache.
    ///
    /// A cached statement invalidated by a schema change ("cached plan must not change result
    /// type") is prepared again and retried once, when no transaction is open.
    func execute(_ sql: String, _ parameters: [PostgresValue]) throws(DatabaseError) -> QueryResult {
        do {
            return try executeOnce(sql, parameters)
        } catch where error.sqlState == "0A000" && statements[sql] != nil {
            guard let conn, PQtransactionStatus(conn) == PQTRANS_IDLE, let name = statements.removeValue(forKey: sql) else { throw error }
            if let result = PQexec(conn, "DEALLOCATE \(name)") { PQclear(result) }
            return try executeOnce(sql, parameters)
        }
    }

    private func executeOnce(_ sql: String, _ parameters: [PostgresValue]) throws(DatabaseError) -> QueryResult {
        guard let conn else { throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable") }
        let name = try prepared(sql, parameterCount: parameters.count)
        let encoded = parameters.map(\.encoded)
        var buffers: [UnsafeMutablePointer<CChar>?] = encoded.map { value in
            guard let value else { return nil }
            let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(1, value.bytes.count) + 1)
            value.bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { buffer.update(from: base, count: chars.count) }
                }
            }
            buffer[value.bytes.count] = 0
            return buffer
        }
        defer { buffers.forEach { $0?.deallocate() } }
        let lengths = encoded.map { Int32($0?.bytes.count ?? 0) }
        let formats = encoded.map { Int32(($0?.binary ?? false) ? 1 : 0) }
        let result = buffers.withUnsafeMutableBufferPointer { values in
            values.withMemoryRebound(to: UnsafePointer<CChar>?.self) { constValues in
                PQexecPrepared(conn, name, Int32(parameters.count), constValues.baseAddress, lengths, formats, 0)
            }
        }
        return try consume(result, conn: conn)
    }

    /// Runs trusted multi-statement SQL (migrations) with the simple query protocol; no parameters.
    func executeScript(_ sql: String) throws(DatabaseError) {
        guard let conn else { throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable") }
        _ = try consume(PQexec(conn, sql), conn: conn)
    }

    /// Ends the open transaction: COMMIT, or ROLLBACK plus an error if a statement already failed in it.
    func commit() throws(DatabaseError) {
        guard let conn else { throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable") }
        if PQtransactionStatus(conn) == PQTRANS_INERROR {
            try executeScript("ROLLBACK")
            throw DatabaseError(.queryFailed, "the transaction was aborted by an earlier failed statement and has been rolled back")
        }
        try executeScript("COMMIT")
    }

    /// `PQescapeIdentifier`: `name` quoted as an SQL identifier.
    func escapeIdentifier(_ name: String) throws(DatabaseError) -> String {
        guard let conn else { throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable") }
        let length = name.utf8.count
        guard let escaped = PQescapeIdentifier(conn, name, length) else {
            throw DatabaseError(.invalidValue, "cannot escape identifier: " + Self.message(conn))
        }
        defer { PQfreemem(escaped) }
        return String(cString: escaped)
    }

    private func prepared(_ sql: String, parameterCount: Int) throws(DatabaseError) -> String {
        if let name = statements[sql] { return name }
        guard let conn else { throw DatabaseError(.databaseUnavailable, "PostgreSQL is unavailable") }
        if statements.count >= Self.statementCacheLimit {
            if let result = PQexec(conn, "DEALLOCATE ALL") { PQclear(result) }
            statements.removeAll()
        }
        nextStatement += 1
        let name = "felt_s\(nextStatement)"
        _ = try consume(PQprepare(conn, name, sql, Int32(parameterCount), nil), conn: conn)
        statements[sql] = name
        return name
    }

    private func consume(_ result: OpaquePointer?, conn: OpaquePointer) throws(DatabaseError) -> QueryResult {
        guard let result else {
            throw Self.connectionError(conn, fallback: .queryFailed)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            let columnCount = Int(PQnfields(result))
            var columns = [String]()
            var index = [String: Int]()
            for column in 0..<columnCount {
                let name = PQfname(result, Int32(column)).map { String(cString: $0) } ?? "?column?"
                columns.append(name)
                if index[name] == nil { index[name] = column }
            }
            let rowCount = Int(PQntuples(result))
            var rows = [PostgresRow]()
            rows.reserveCapacity(rowCount)
            for row in 0..<rowCount {
                var values = [String?]()
                values.reserveCapacity(columnCount)
                for column in 0..<columnCount {
                    if PQgetisnull(result, Int32(row), Int32(column)) != 0 {
                        values.append(nil)
                    } else {
                        values.append(PQgetvalue(result, Int32(row), Int32(column)).map { String(cString: $0) })
                    }
                }
                rows.append(PostgresRow(columnIndex: index, values: values))
            }
            let affected = PQcmdTuples(result).flatMap { Int(String(cString: $0)) } ?? rowCount
            return QueryResult(columns: columns, rows: rows, affectedRows: affected)
        default:
            if PQstatus(conn) != CONNECTION_OK {
                throw Self.connectionError(conn, fallback: .databaseUnavailable)
            }
            func field(_ code: Character) -> String? {
                guard let ascii = code.asciiValue, let value = PQresultErrorField(result, Int32(ascii)) else { return nil }
                return String(cString: value)
            }
            let message = field("M") ?? Self.message(conn)
            return try { () throws(DatabaseError) -> QueryResult in
                throw DatabaseError.fromServer(sqlState: field("C"), message: message, constraint: field("n"))
            }()
        }
    }

    private static func connectionError(_ conn: OpaquePointer, fallback: DatabaseError.Code) -> DatabaseError {
        let code: DatabaseError.Code = PQstatus(conn) == CONNECTION_OK ? fallback : .databaseUnavailable
        return DatabaseError(code, (code == .databaseUnavailable ? "PostgreSQL is unavailable: " : "") + message(conn))
    }

    static func message(_ conn: OpaquePointer) -> String {
        guard let text = PQerrorMessage(conn) else { return "unknown error" }
        return String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Holds the log closure that server notices are routed to (kept alive by its connection).
final class NoticeSink: Sendable {
    let log: @Sendable (String) -> Void
    init(log: @escaping @Sendable (String) -> Void) { self.log = log }
}

/// libpq notice callback: forwards the notice text to the connection's `NoticeSink`.
private let noticeReceiver: PQnoticeReceiver = { argument, result in
    guard let argument, let result, let text = PQresultErrorMessage(result) else { return }
    let sink = Unmanaged<NoticeSink>.fromOpaque(argument).takeUnretainedValue()
    sink.log("postgres: " + String(cString: text).trimmingCharacters(in: .whitespacesAndNewlines))
}
