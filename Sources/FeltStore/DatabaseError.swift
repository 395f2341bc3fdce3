/// A failure talking to PostgreSQL or a rule of the store that was broken.
///
/// `code` is stable and meant for clients (`database_unavailable` becomes HTTP 503, and so on);
/// `message` is for people and logs; `sqlState` and `constraint` come from the server when it
/// produced the error.
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Stable machine-readable error codes.
    public enum Code: String, Sendable, Equatable, CaseIterable {
        /// PostgreSQL cannot be reached, refused the connection, or the connection was lost.
        case databaseUnavailable = "database_unavailable"
        /// SQLSTATE 23505.
        case uniqueViolation = "unique_violation"
        /// SQLSTATE 23514.
        case checkViolation = "check_violation"
        /// SQLSTATE 40001 or 40P01: the transaction may be retried.
        case serializationFailure = "serialization_failure"
        /// SQLSTATE 57014: the statement ran longer than the query timeout.
        case queryTimeout = "query_timeout"
        /// Any other server-side failure (see `sqlState`).
        case queryFailed = "query_failed"
        /// The pool was shut down.
        case poolClosed = "pool_closed"
        /// A tenant id that cannot name a schema (`[a-z][a-z0-9_]{0,39}`).
        case invalidTenant = "invalid_tenant"
        /// The tenant's schema is not migrated (its migration failed or never ran).
        case tenantUnavailable = "tenant_unavailable"
        /// `createUser` with a username that exists (case-insensitively) in the tenant.
        case usernameTaken = "username_taken"
        /// A journal entry whose postings do not sum to zero, or that has no postings.
        case unbalancedEntry = "unbalanced_entry"
        /// A posting would take a non-issuance ledger account below zero.
        case insufficientFunds = "insufficient_funds"
        /// A referenced row (user, account) does not exist.
        case notFound = "not_found"
        /// A value handed to the store is unusable (e.g. a result column of the wrong type).
        case invalidValue = "invalid_value"
    }

    /// The stable code.
    public var code: Code
    /// Human-readable explanation.
    public var message: String
    /// The SQLSTATE reported by PostgreSQL, when there is one.
    public var sqlState: String?
    /// The constraint named by PostgreSQL, when there is one.
    public var constraint: String?
    /// True when the request never reached the server (no connection became free, or none
    /// could be opened): nothing of it can have been applied, so it is safe to try again.
    public var notSent = false

    /// Makes an error.
    public init(_ code: Code, _ message: String, sqlState: String? = nil, constraint: String? = nil) {
        self.code = code
        self.message = message
        self.sqlState = sqlState
        self.constraint = constraint
    }

    /// The same error, marked as never sent (see ``notSent``).
    public func markedNotSent() -> DatabaseError {
        var copy = self
        copy.notSent = true
        return copy
    }

    /// Classifies a server error by its SQLSTATE.
    public static func fromServer(sqlState: String?, message: String, constraint: String?) -> DatabaseError {
        let state = sqlState ?? ""
        let code: Code
        switch state {
        case "23505": code = .uniqueViolation
        case "23514": code = .checkViolation
        case "40001", "40P01": code = .serializationFailure
        case "57014": code = .queryTimeout
        case "57P01", "57P02", "57P03": code = .databaseUnavailable
        default: code = state.hasPrefix("08") ? .databaseUnavailable : .queryFailed
        }
        return DatabaseError(code, message, sqlState: sqlState, constraint: constraint)
    }

    /// `code: message [SQLSTATE]`.
    public var description: String {
        var text = "\(code.rawValue): \(message)"
        if let sqlState { text += " [\(sqlState)]" }
        return text
    }
}
