/// FeltStore: Felt's PostgreSQL layer.
///
/// - `EmbeddedPostgres`: Felt's own cluster (initdb on first start, private Unix socket only,
///   stale pid handling, unprivileged system user when running as root).
/// - `PostgresPool`: async libpq on dedicated threads (never an event loop or the cooperative
///   pool), prepared statements, transactions, `ConnectionBudget`, notices to a log closure,
///   typed `DatabaseError`s with stable codes, automatic reconnection.
/// - `FeltCatalog`, `MigrationRunner`, `TenantMigrations`: schema `felt_catalog` and one schema
///   `tenant_<id>` per tenant, migrated at start-up with per-tenant results.
/// - `TenantStore`: accounts, refresh tokens, revoked access tokens and the double-entry ledger.
/// - `FeltDatabase`: all of the above brought up in one call.
public enum FeltStoreModule {
    /// The module's name, for diagnostics.
    public static let name = "FeltStore"
}
