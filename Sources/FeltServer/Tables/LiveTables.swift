import FeltAuth
import FeltConfig
import FeltNet
import FeltStore
import FeltTables
import Foundation
import Synchronization

/// One configured table, live.
public struct LiveTable: Sendable {
    /// The actor that owns the table.
    public let actor: TableActor
    /// Its settings.
    public let settings: TableSettings
    /// SHA-256 of the passphrase of a private table.
    let passphraseDigest: [UInt8]?

    /// Whether `given` is the table's passphrase (constant-time over fixed-length digests).
    func passphraseMatches(_ given: String?) -> Bool {
        guard let digest = passphraseDigest else { return true }
        guard let given else { return false }
        return Crypto.constantTimeEqual(Crypto.sha256(Array(given.utf8)), digest)
    }
}

/// The live tables of one tenant: actors, ledger, idempotency store and per-user locks.
public final class TenantTables: Sendable {
    /// The tenant.
    public let tenantID: String
    /// Its schema.
    public let schema: TenantSchema
    /// The shared pool.
    public let pool: PostgresPool
    /// The escrow ledger the tables use.
    public let ledger: PostgresTableLedger
    /// Stored responses of `Idempotency-Key` requests.
    public let idempotency: IdempotentRequest
    /// Tables in configuration order.
    public let tables: [LiveTable]
    /// Inbound WebSocket messages allowed per connection: `count` per `periodSeconds`.
    public let messageRate: (count: Int, periodSeconds: Double)
    let byID: [String: Int]
    let userLocks = UserLocks()
    private let nextViewer = Atomic<UInt64>(1)

    init(tenantID: String, schema: TenantSchema, pool: PostgresPool, ledger: PostgresTableLedger, tables: [LiveTable],
         messageRate: (Int, Double)) {
        self.tenantID = tenantID
        self.schema = schema
        self.pool = pool
        self.ledger = ledger
        self.idempotency = IdempotentRequest(store: IdempotencyStore(schema: schema, pool: pool))
        self.tables = tables
        self.messageRate = messageRate
        var byID: [String: Int] = [:]
        for (i, t) in tables.enumerated() { byID[t.settings.tableID] = i }
        self.byID = byID
    }

    /// The table with `id`.
    public func table(_ id: String) -> LiveTable? { byID[id].map { tables[$0] } }

    /// A fresh viewer id for a WebSocket connection.
    func newViewer() -> ViewerID { ViewerID(nextViewer.add(1, ordering: .relaxed).oldValue) }
}

/// Every tenant's live tables. Created empty with the routers and opened once the loops
/// exist: `open` recovers open escrows and only then starts the table actors.
public final class LiveTables: Sendable {
    private let tenants = Mutex<[String: TenantTables]>([:])

    /// An empty registry.
    public init() {}

    /// The tables of `tenantID` (nil before `open` or when the tenant is unavailable).
    public func tenant(_ tenantID: String) -> TenantTables? { tenants.withLock { $0[tenantID] } }

    /// Every opened tenant.
    public var all: [TenantTables] { tenants.withLock { Array($0.values) }.sorted { $0.tenantID < $1.tenantID } }

    /// For each ready tenant (its schema migrated, hand history included): returns every open escrow to its
    /// wallet (crash recovery: a hand in progress is void), drops stale idempotency keys,
    /// then opens one actor per configured table pinned to `group.loop(forKey: "tenant/table")`.
    /// A tenant whose recovery fails is marked unavailable.
    public func open(configuration: FeltConfiguration, runtimes: [TenantRuntime], pool: PostgresPool,
                     group: EventLoopGroup, log: ServerLog) async {
        let server = configuration.server
        for runtime in runtimes where runtime.status.current.isReady {
            guard let schema = try? TenantSchema(tenantID: runtime.id) else { continue }
            do throws(DatabaseError) {
                let recovered = try await EscrowRecovery.returnOpenEscrows(schema: schema, pool: pool)
                if recovered.escrows > 0 {
                    log("tenant \(runtime.id): returned \(recovered.chips) chips from \(recovered.escrows) open escrows to wallets")
                }
                try await IdempotencyStore(schema: schema, pool: pool).purgeStale()
            } catch {
                runtime.status.set(.unavailable(reason: "table start-up failed: \(error.message)"))
                log("tenant \(runtime.id) is unavailable: table start-up failed: \(error)")
                continue
            }
            let ledger = PostgresTableLedger(schema: schema, pool: pool)
            var tables: [LiveTable] = []
            for table in runtime.config.tables {
                let settings = TableSettings(table: table, server: server)
                let tenantID = runtime.id
                do {
                    let actor = try TableActor(settings: settings, ledger: ledger,
                                               executor: group.loop(forKey: tenantID + "/" + table.id),
                                               onFailure: { failure in
                                                   log("tenant \(tenantID): \(failure)")
                                                   Self.returnEscrowsOfStoppedTable(schema: schema, pool: pool, table: table.id,
                                                                                    tenant: tenantID, log: log)
                                               })
                    await actor.start()
                    tables.append(LiveTable(actor: actor, settings: settings,
                                            passphraseDigest: table.type.passphrase.map { Crypto.sha256($0.bytes) }))
                } catch {
                    log("tenant \(tenantID): table \(table.id) not opened: \(error)")
                }
            }
            let rate = server.wsMessageRate
            let live = TenantTables(tenantID: runtime.id, schema: schema, pool: pool, ledger: ledger, tables: tables,
                                    messageRate: (max(1, rate.count), max(0.001, Double(rate.period.milliseconds) / 1000)))
            tenants.withLock { $0[runtime.id] = live }
        }
    }

    /// A table that stopped itself (its ledger failed) takes no more requests and makes no
    /// more ledger calls, so its players could not leave: their escrows go back to their
    /// wallets as soon as the database lets us (retried with a growing pause; the next start
    /// does it too).
    static func returnEscrowsOfStoppedTable(schema: TenantSchema, pool: PostgresPool, table: String, tenant: String,
                                            log: ServerLog) {
        Task.detached {
            var pause = 1.0
            for _ in 0..<12 {
                do throws(DatabaseError) {
                    let returned = try await EscrowRecovery.returnOpenEscrows(schema: schema, pool: pool, tableID: table)
                    log("tenant \(tenant): stopped table \(table): returned \(returned.chips) chips from \(returned.escrows) escrows")
                    return
                } catch {
                    log("tenant \(tenant): stopped table \(table): returning escrows failed (\(error)); retrying")
                }
                try? await Task.sleep(for: .seconds(pause))
                pause = min(pause * 2, 60)
            }
        }
    }

    /// Graceful stop: every table's timers stop, queued ledger calls finish, and every escrow
    /// goes back to its wallet (a hand still running is void, as after a crash).
    public func shutdown(log: ServerLog) async {
        for tenant in all {
            for table in tenant.tables {
                await table.actor.shutdown()
                await table.actor.drainLedger()
            }
            do {
                let returned = try await EscrowRecovery.returnOpenEscrows(schema: tenant.schema, pool: tenant.pool)
                if returned.escrows > 0 {
                    log("tenant \(tenant.tenantID): cashed out \(returned.chips) chips from \(returned.escrows) seats at shutdown")
                }
            } catch {
                log("tenant \(tenant.tenantID): cashing out at shutdown failed (returned at the next start): \(error)")
            }
        }
    }
}
