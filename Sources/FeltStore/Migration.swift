import Foundation

/// One versioned step of a tenant schema, embedded in the binary.
///
/// `sql` may hold several statements; every `{{schema}}` in it is replaced by the tenant's
/// quoted schema name. Each step runs in its own transaction.
public struct Migration: Sendable, Equatable {
    /// Strictly increasing version number, starting at 1.
    public let version: Int
    /// Short description, recorded in the catalog.
    public let name: String
    /// The statements, with `{{schema}}` placeholders.
    public let sql: String

    /// A migration step.
    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }

    /// The statements for one tenant.
    public func sql(for schema: TenantSchema) -> String {
        sql.replacingOccurrences(of: "{{schema}}", with: schema.quoted)
    }
}
