/// The PostgreSQL schema of one tenant: `tenant_<id>`.
///
/// Tenant ids are validated as `[a-z][a-z0-9_]{0,39}`, so the quoted name is exactly what
/// `PQescapeIdentifier` produces for it (a test checks this); statements use `quoted`.
public struct TenantSchema: Sendable, Hashable, CustomStringConvertible {
    /// The tenant id from the configuration.
    public let tenantID: String

    /// Validates `tenantID` and names its schema.
    public init(tenantID: String) throws(DatabaseError) {
        guard Self.isValid(tenantID) else {
            throw DatabaseError(.invalidTenant, "tenant id \"\(tenantID)\" cannot name a schema: use [a-z][a-z0-9_]{0,39}")
        }
        self.tenantID = tenantID
    }

    /// The schema name, unquoted.
    public var name: String { "tenant_" + tenantID }
    /// The schema name as a quoted SQL identifier.
    public var quoted: String { "\"" + name + "\"" }
    /// The schema name.
    public var description: String { name }

    /// Whether `id` matches `[a-z][a-z0-9_]{0,39}`.
    public static func isValid(_ id: String) -> Bool {
        let bytes = Array(id.utf8)
        guard let first = bytes.first, bytes.count <= 40, first >= 97, first <= 122 else { return false }
        return bytes.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 95 }
    }
}
