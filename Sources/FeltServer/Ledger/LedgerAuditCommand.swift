import FeltConfig
import FeltStore
import Foundation

/// What `felt audit` does: opens the configured database (without starting a server),
/// runs `JournalAudit` over every tenant and prints each violation.
public enum LedgerAuditCommand {
    /// Outcome: the per-tenant audits and whether escrows were required to be empty.
    public struct Report: Sendable {
        public var audits: [JournalAudit]
        public var unavailable: [String]
        public var escrowsChecked: Bool
        public var violationCount: Int { audits.reduce(0) { $0 + $1.violations.count } + unavailable.count }
    }

    /// Runs the audit.
    /// - Parameters:
    ///   - serverStopped: `true`/`false` to say whether Felt is stopped; `nil` decides from the
    ///     embedded cluster: not running before the audit means no server is (escrows must be
    ///     empty then, since `felt serve` cashes everyone out at shutdown and recovers at start).
    public static func run(configuration: FeltConfiguration, dataDirectory: String?, serverStopped: Bool?,
                           print: @Sendable (String) -> Void) async -> Result<Report, ServeError> {
        var embedded: EmbeddedPostgres?
        var startedHere = false
        let connection: PostgresConnectionInfo
        var stopped = serverStopped ?? false
        switch configuration.database.kind {
        case .embedded(let configured):
            let folder = URL(fileURLWithPath: dataDirectory ?? configured).standardizedFileURL.path
            let settings = EmbeddedPostgresConfiguration(directory: folder)
            guard FileManager.default.fileExists(atPath: settings.dataDirectory + "/PG_VERSION") else {
                return .failure(ServeError("database_missing", "no embedded PostgreSQL cluster in \(folder)"))
            }
            let cluster = EmbeddedPostgres(configuration: settings) { _ in }
            let running = await cluster.isRunning()
            if serverStopped == nil { stopped = !running }
            if !running {
                do { try await cluster.start() } catch {
                    return .failure(ServeError("database_start_failed", "embedded PostgreSQL in \(folder) did not start: \(error)"))
                }
                startedHere = true
            }
            embedded = cluster
            connection = cluster.connectionInfo()
        case .url(let secret):
            connection = PostgresConnectionInfo(conninfo: secret.text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let pool = PostgresPool(configuration: .init(connection: connection, maxConnections: 2, connectTimeout: 5, acquireTimeout: 10),
                                budget: ConnectionBudget(limit: 2)) { _ in }
        var report = Report(audits: [], unavailable: [], escrowsChecked: stopped)
        for tenant in configuration.tenants {
            do throws(DatabaseError) {
                let schema = try TenantSchema(tenantID: tenant.id)
                let audit = try await JournalAudit.run(schema: schema, pool: pool, escrowsMustBeEmpty: stopped)
                report.audits.append(audit)
                for violation in audit.violations { print("VIOLATION tenant \(tenant.id): \(violation)") }
                let open = audit.openEscrows.reduce(Int64(0)) { $0 + $1.amount }
                print("tenant \(tenant.id): \(audit.entries) journal entries; wallets \(audit.wallets), escrows \(open)"
                      + " (\(audit.openEscrows.count) open), house \(audit.house), issued \(audit.issued);"
                      + " \(audit.violations.isEmpty ? "clean" : "\(audit.violations.count) violation(s)")")
            } catch {
                if error.code == .tenantUnavailable || error.sqlState == "42P01" || error.sqlState == "3F000" {
                    print("tenant \(tenant.id): no ledger yet (never served); skipped")
                } else {
                    report.unavailable.append(tenant.id)
                    print("VIOLATION tenant \(tenant.id): cannot be audited: \(error)")
                }
            }
        }
        pool.close()
        if startedHere, let embedded {
            do { try await embedded.stop() } catch { print("stopping embedded PostgreSQL failed: \(error)") }
        }
        return .success(report)
    }
}
