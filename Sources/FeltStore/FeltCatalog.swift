/// Felt's own schema `felt_catalog`: the tenants it knows, each tenant's applied schema
/// versions, and a row per migration run with its result.
public enum FeltCatalog {
    /// The catalog schema's name.
    public static let schema = "felt_catalog"

    static let creation = """
        CREATE SCHEMA IF NOT EXISTS felt_catalog;
        CREATE TABLE IF NOT EXISTS felt_catalog.tenants (
            tenant_id text PRIMARY KEY,
            schema_name text NOT NULL UNIQUE,
            first_seen_at timestamptz NOT NULL DEFAULT now(),
            last_migrated_at timestamptz
        );
        CREATE TABLE IF NOT EXISTS felt_catalog.schema_versions (
            tenant_id text NOT NULL REFERENCES felt_catalog.tenants (tenant_id),
            version integer NOT NULL,
            name text NOT NULL,
            applied_at timestamptz NOT NULL DEFAULT now(),
            PRIMARY KEY (tenant_id, version)
        );
        CREATE TABLE IF NOT EXISTS felt_catalog.migration_runs (
            id bigserial PRIMARY KEY,
            tenant_id text NOT NULL REFERENCES felt_catalog.tenants (tenant_id),
            started_at timestamptz NOT NULL DEFAULT now(),
            finished_at timestamptz,
            from_version integer NOT NULL,
            to_version integer,
            failed_version integer,
            result text NOT NULL CHECK (result IN ('running', 'succeeded', 'failed')),
            error text
        );
        CREATE INDEX IF NOT EXISTS migration_runs_tenant_idx ON felt_catalog.migration_runs (tenant_id, id);
        """

    /// Creates the catalog if it is missing (safe to call concurrently from several processes).
    public static func ensure(_ pool: PostgresPool) async throws(DatabaseError) {
        try await pool.transaction { tx throws(DatabaseError) in
            _ = try await tx.query("SELECT pg_advisory_xact_lock(hashtext('felt_catalog'))")
            try await tx.execute(script: creation)
        }
    }

    /// The versions applied to a tenant's schema, ascending.
    public static func appliedVersions(_ pool: PostgresPool, tenantID: String) async throws(DatabaseError) -> [Int] {
        try await pool.query("SELECT version FROM felt_catalog.schema_versions WHERE tenant_id = $1 ORDER BY version",
                             [.text(tenantID)]).rows.map { row throws(DatabaseError) in Int(try row.int64("version")) }
    }

    /// Applied versions of every known tenant, in one query.
    public static func allAppliedVersions(_ pool: PostgresPool) async throws(DatabaseError) -> [String: Set<Int>] {
        var versions = [String: Set<Int>]()
        for row in try await pool.query("SELECT tenant_id, version FROM felt_catalog.schema_versions").rows {
            versions[try row.string("tenant_id"), default: []].insert(Int(try row.int64("version")))
        }
        return versions
    }

    /// One recorded migration run.
    public struct Run: Sendable, Equatable {
        /// `succeeded`, `failed` or `running`.
        public var result: String
        /// Version before the run.
        public var fromVersion: Int
        /// Version after the run.
        public var toVersion: Int?
        /// The version that failed, if any.
        public var failedVersion: Int?
        /// The error text, if any.
        public var error: String?
    }

    /// A tenant's migration runs, oldest first.
    public static func runs(_ pool: PostgresPool, tenantID: String) async throws(DatabaseError) -> [Run] {
        try await pool.query("""
            SELECT result, from_version, to_version, failed_version, error FROM felt_catalog.migration_runs
            WHERE tenant_id = $1 ORDER BY id
            """, [.text(tenantID)]).rows.map { row throws(DatabaseError) in
            Run(result: try row.string("result"), fromVersion: Int(try row.int64("from_version")),
                toVersion: try row.optionalInt64("to_version").map(Int.init),
                failedVersion: try row.optionalInt64("failed_version").map(Int.init),
                error: try row.optionalString("error"))
        }
    }
}
