import FeltAuth
import FeltConfig
import FeltNet
import FeltStore
import Foundation

/// A tenant's runtime with the router built from its route areas; what the host map holds.
public struct TenantEndpoint: Sendable {
    /// The tenant.
    public let runtime: TenantRuntime
    /// Its routes.
    public let router: Router
}

/// The running server: database, migrated tenants, the shared HTTP/WebSocket front.
///
/// Start-up: database up → pool → catalog + every tenant's migrations (several at a time)
/// → one `TenantRuntime` per tenant (unavailable when its migration or keys failed) →
/// routers from the route areas → the host map → listeners. `shutdown()` undoes it in
/// reverse order.
public final class FeltServerApp: Sendable {
    /// The route areas every tenant gets. Tables add `TableRoutes.area` here.
    public static let defaultAreas: [RouteArea] = [AuthRoutes.area]

    /// The configuration served.
    public let configuration: FeltConfiguration
    /// Tenants in configuration order.
    public let tenants: [TenantRuntime]
    /// Host → tenant endpoint (swapped atomically by a reload).
    public let hosts: HostRouter<TenantEndpoint>
    /// The database and pool.
    public let database: DatabaseRuntime
    /// The network front.
    public let server: HTTPServer
    /// The loops.
    public let group: EventLoopGroup
    /// Every tenant's live tables.
    public let tables: LiveTables
    private let log: ServerLog
    /// Hourly deletion of expired refresh tokens and revocation records; cancelled by `shutdown()`.
    private let maintenance: Task<Void, Never>

    private init(configuration: FeltConfiguration, tenants: [TenantRuntime], hosts: HostRouter<TenantEndpoint>,
                 database: DatabaseRuntime, server: HTTPServer, group: EventLoopGroup, tables: LiveTables, log: ServerLog) {
        self.tables = tables
        self.configuration = configuration
        self.tenants = tenants
        self.hosts = hosts
        self.database = database
        self.server = server
        self.group = group
        self.log = log
        let ready = tenants
        maintenance = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
                if Task.isCancelled { break }
                for runtime in ready where runtime.status.current.isReady {
                    do {
                        let purged = try await runtime.accounts.store.purgeExpiredTokens(tenant: runtime.accounts.schema)
                        if purged > 0 { log("tenant \(runtime.id): purged \(purged) expired token records") }
                        let keys = try await IdempotencyStore(schema: runtime.accounts.schema, pool: runtime.accounts.pool).purgeExpired()
                        if keys > 0 { log("tenant \(runtime.id): purged \(keys) expired idempotency keys") }
                    } catch {
                        log("tenant \(runtime.id): purging expired tokens or idempotency keys failed: \(error)")
                    }
                }
            }
        }
    }

    /// The port the front listens on.
    public var port: Int { server.port }

    /// Starts everything; a tenant that cannot be migrated is logged and left unavailable
    /// while the others serve. Fails when the database cannot be reached at all or the
    /// listener cannot bind.
    public static func start(configuration: FeltConfiguration, options: ServeOptions = ServeOptions(),
                             areas: [RouteArea] = defaultAreas) async throws(ServeError) -> FeltServerApp {
        let log = options.log
        let hasher: PasswordHasher
        do { hasher = try PasswordHasher(parameters: options.scrypt) } catch {
            throw ServeError("invalid_scrypt", "\(error)")
        }
        let database = try await DatabaseRuntime.start(configuration.database, dataDirectoryOverride: options.dataDirectory, log: log)
        let ids = configuration.tenants.map(\.id)
        let runner = MigrationRunner(pool: database.pool, concurrency: options.migrationConcurrency, log: { line in log(line) })
        let results = await runner.migrate(tenants: ids)
        if !results.isEmpty, results.allSatisfy({ $0.error?.code == .databaseUnavailable || $0.error?.code == .poolClosed }) {
            await database.stop(log: log)
            throw ServeError("database_unavailable", "PostgreSQL cannot be reached: \(results[0].error.map { "\($0)" } ?? "")")
        }
        var byID: [String: TenantMigrationResult] = [:]
        for result in results { byID[result.tenantID] = result }

        let tables = LiveTables()
        let areas = areas + [TableRoutes.area(tables)]
        var runtimes: [TenantRuntime] = []
        var endpoints: [String: TenantEndpoint] = [:]
        for tenant in configuration.tenants {
            var status = TenantStatus.ready
            if let result = byID[tenant.id], let error = result.error {
                let step = result.failedVersion.map { " at version \($0)" } ?? ""
                status = .unavailable(reason: "migration failed\(step): \(error.message)")
            }
            let runtime = TenantRuntime(config: tenant, pool: database.pool, hasher: hasher, status: status, log: log)
            if runtime.status.current.isReady {
                do { try await runtime.loadRevokedAccessTokens() } catch {
                    runtime.status.set(.unavailable(reason: "loading revoked tokens failed: \(error.message)"))
                }
            }
            if case .unavailable(let reason) = runtime.status.current {
                log("tenant \(tenant.id) is unavailable: \(reason); its hosts answer 503 tenant_unavailable")
            }
            runtimes.append(runtime)
            let endpoint = TenantEndpoint(runtime: runtime, router: RouteArea.router(for: runtime, areas: areas))
            for host in tenant.hosts { endpoints[host] = endpoint }
        }
        let hosts = HostRouter(endpoints)

        let group: EventLoopGroup
        do { group = try EventLoopGroup(loopCount: max(1, configuration.server.eventLoops)) } catch {
            await database.stop(log: log)
            throw ServeError("listen_failed", "event loops: \(error)")
        }
        await tables.open(configuration: configuration, runtimes: runtimes, pool: database.pool, group: group, log: log)
        var serverConfiguration = ServerConfiguration()
        serverConfiguration.host = configuration.server.listenHost
        serverConfiguration.port = options.port ?? configuration.server.listenPort
        serverConfiguration.limits.maxBodyBytes = configuration.server.maxBodyBytes
        let server = HTTPServer(configuration: serverConfiguration, group: group, hosts: hosts) { $0.router }
        do { try server.start() } catch {
            group.shutdown()
            await database.stop(log: log)
            throw ServeError("listen_failed", "cannot listen on \(serverConfiguration.host):\(serverConfiguration.port): \(error)")
        }
        return FeltServerApp(configuration: configuration, tenants: runtimes, hosts: hosts, database: database,
                             server: server, group: group, tables: tables, log: log)
    }

    /// The one-line readiness message: URL and each tenant with its hosts and status.
    public var readyLine: String {
        let listen = configuration.server.listenHost.contains(":") ? "[\(configuration.server.listenHost)]"
            : configuration.server.listenHost
        let list = tenants.map { "\($0.id) [\($0.config.hosts.joined(separator: ", "))] \($0.status.current.summary)" }
        return "felt ready on http://\(listen):\(port) — tenants: " + list.joined(separator: "; ")
    }

    /// Graceful shutdown: stop accepting and finish in-flight requests, stop the loops,
    /// close the pool, stop the embedded cluster.
    public func shutdown(timeout: Duration = .seconds(10)) async {
        maintenance.cancel()
        await server.shutdown(timeout: timeout)
        await tables.shutdown(log: log)
        group.shutdown()
        await database.stop(log: log)
    }
}
