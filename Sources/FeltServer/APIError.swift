import FeltNet
import FeltStore

/// The API's error responses beyond those FeltNet produces.
enum APIError {
    /// 503 `tenant_unavailable`.
    static let tenantUnavailable = HTTPError(status: 503, code: "tenant_unavailable",
                                             message: "this club is temporarily unavailable", headers: ["Retry-After": "30"])

    /// 429 `rate_limited` with `Retry-After`.
    static func rateLimited(retryAfter: Int) -> HTTPError {
        HTTPError(status: 429, code: "rate_limited", message: "too many attempts; retry in \(retryAfter) s",
                  headers: ["Retry-After": String(retryAfter)])
    }

    /// 401 `invalid_credentials` (same answer for an unknown user and a wrong password).
    static let invalidCredentials = HTTPError(status: 401, code: "invalid_credentials",
                                              message: "unknown username or wrong password")

    /// 400 with a validation code.
    static func badInput(code: String, message: String) -> HTTPError {
        HTTPError(status: 400, code: code, message: message)
    }

    /// 500 for an internal failure (details go to the log, not the client).
    static let internalError = HTTPError(status: 500, code: "internal_error", message: "internal error")

    /// Maps a store failure: PostgreSQL unreachable (or the pool saturated or closed) is
    /// 503 `database_unavailable` so clients retry; anything else is logged and 500.
    static func database(_ error: DatabaseError, log: ServerLog, tenant: String) -> HTTPError {
        switch error.code {
        case .databaseUnavailable, .poolClosed, .queryTimeout:
            return HTTPError(status: 503, code: "database_unavailable", message: "the database is unavailable; retry shortly",
                             headers: ["Retry-After": "1"])
        case .tenantUnavailable:
            return tenantUnavailable
        case .usernameTaken:
            return HTTPError(status: 409, code: "username_taken", message: "this username is taken")
        default:
            log("tenant \(tenant): database error: \(error)")
            return internalError
        }
    }
}
