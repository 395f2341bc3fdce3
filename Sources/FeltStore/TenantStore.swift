/// Repository functions over tenant schemas (accounts, tokens, wallet ledger).
///
/// Every statement names its tables through the tenant's quoted schema; no session
/// `search_path` is ever set, so one pool serves all tenants safely.
public struct TenantStore: Sendable {
    /// The pool all statements go through.
    public let pool: PostgresPool

    /// A store over `pool`.
    public init(pool: PostgresPool) {
        self.pool = pool
    }
}

extension DatabaseError {
    /// Errors that mean "this tenant's tables are missing" become `tenant_unavailable`.
    func mappingMissingSchema(_ schema: TenantSchema) -> DatabaseError {
        switch sqlState {
        case "42P01", "3F000":
            return DatabaseError(.tenantUnavailable, "the data of tenant \(schema.tenantID) is not available (schema not migrated)",
                                 sqlState: sqlState)
        default:
            return self
        }
    }
}

/// Runs `body`, mapping missing-schema errors of `schema` to `tenant_unavailable`.
func forTenant<T>(_ schema: TenantSchema, _ body: () async throws(DatabaseError) -> T) async throws(DatabaseError) -> T {
    do {
        return try await body()
    } catch {
        throw error.mappingMissingSchema(schema)
    }
}
