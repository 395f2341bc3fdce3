import FeltServer
import FeltStore
import FeltTables
import Foundation
import PokerEngine

/// `felt bench ledger`: the per-hand cost of the PostgreSQL table ledger alone, with no
/// sockets and no table actors. Starts an embedded cluster in a temporary folder (durable, as
/// `felt serve` runs it, unless `--no-durable`), seats `--players` users with escrows at each
/// of `--tables` tables, then every table records `--hands` hands one after another (as a table
/// actor does: the next hand waits for the previous record, then `--pause-ms`), all tables at once, through
/// `PostgresTableLedger.recordHand` (with group commit unless `--no-group-commit`). Prints hands/s, CPU per hand of the PostgreSQL processes
/// (from /proc) and of this process, connection round trips per hand, and write latency.
let benchLedger = Benchmark(name: "ledger", summary: "Hands/s, PostgreSQL CPU and round trips per hand of the table ledger", run: { arguments in
    let usage = """
    USAGE: felt bench ledger [--tables 200] [--hands 25] [--players 6] [--connections 16] [--runs 3]
                             [--pause-ms 0] [--data-dir PATH] [--no-durable] [--no-group-commit]
    """
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["tables", "hands", "players", "connections", "runs", "pause-ms", "data-dir"],
                                    flags: ["no-durable", "no-group-commit", "help"])
    } catch {
        printError("felt bench ledger: \(error)\n\(usage)")
        return 2
    }
    if options.flags.contains("help") {
        print(usage)
        return 0
    }
    func number(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) -> Int? {
        guard let text = options.values[name] else { return fallback }
        guard let value = Int(text), range.contains(value) else { return nil }
        return value
    }
    guard let tables = number("tables", 200, 1...10_000), let hands = number("hands", 25, 1...100_000),
          let players = number("players", 6, 2...10), let connections = number("connections", 16, 1...64),
          let runs = number("runs", 3, 1...20), let pause = number("pause-ms", 0, 0...60_000) else {
        printError("felt bench ledger: --tables 1…10000, --hands 1…100000, --players 2…10, --connections 1…64, --runs 1…20, --pause-ms 0…60000\n\(usage)")
        return 2
    }
    let durable = !options.flags.contains("no-durable")
    let folder = options.values["data-dir"]
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("felt-bench-ledger-\(getpid())").path
    let removeFolder = options.values["data-dir"] == nil
    defer { if removeFolder { try? FileManager.default.removeItem(atPath: folder) } }

    let database: FeltDatabase
    do throws(DatabaseError) {
        database = try await FeltDatabase.open(.embedded(EmbeddedPostgresConfiguration(directory: folder, durable: durable),
                                                         database: "felt"),
                                               maxConnections: connections, budget: ConnectionBudget(limit: connections + 2))
    } catch {
        printError("felt bench ledger: \(error)")
        return 1
    }
    defer { _ = try? database.cluster?.stopSynchronously() }
    let result: Int32
    do {
        result = try await LedgerBench(database: database, dataDirectory: folder + "/pgdata", tables: tables, hands: hands,
                                       players: players, pauseMillis: pause, durable: durable,
                                       groupCommit: !options.flags.contains("no-group-commit")).run(runs: runs, connections: connections)
    } catch {
        printError("felt bench ledger: \(error)")
        result = 1
    }
    database.pool.close()
    return result
})

/// The ledger benchmark's set-up and measurement.
struct LedgerBench {
    let database: FeltDatabase
    let dataDirectory: String
    let tables: Int
    let hands: Int
    let players: Int
    /// Pause between a table's hands (a table deals the next hand a moment after the last one).
    let pauseMillis: Int
    let durable: Bool
    let groupCommit: Bool
    static let stack = 1_000_000

    func run(runs: Int, connections: Int) async throws -> Int32 {
        let pool = database.pool
        let results = await database.migrate(tenants: ["bench"])
        if let failed = results.first(where: { !$0.isReady }) { throw LedgerBenchError("migration failed: \(failed)") }
        let schema = try TenantSchema(tenantID: "bench")
        let ledger = PostgresTableLedger(schema: schema, pool: pool, groupCommit: groupCommit)
        let record = try Self.sampleRecord(players: players)
        let setupStart = Date()
        // Users and buy-ins, a table at a time concurrently.
        let seated = try await withThrowingTaskGroup(of: (Int, [HandPlayerResult]).self) { group in
            for table in 0..<tables {
                group.addTask {
                    var seats: [HandPlayerResult] = []
                    for seat in 0..<players {
                        let name = "t\(table)s\(seat)"
                        let user = try await database.store.createUser(tenant: schema, username: name, email: nil, passwordHash: "x",
                                                                       startingBalance: Int64(Self.stack))
                        try await ledger.buyIn(tableID: "t\(table)", user: UserID(user.id), amount: Self.stack)
                        seats.append(HandPlayerResult(seat: seat, user: UserID(user.id), username: name, startingStack: Self.stack,
                                                      finalStack: Self.stack))
                    }
                    return (table, seats)
                }
            }
            var all = [[HandPlayerResult]](repeating: [], count: tables)
            for try await (table, seats) in group { all[table] = seats }
            return all
        }
        print("felt bench ledger: \(tables) tables × \(players) players seated in "
              + String(format: "%.1f s", Date().timeIntervalSince(setupStart))
              + "; \(hands) hands per table per run, \(pauseMillis) ms apart; pool of \(connections); cluster \(durable ? "durable (fsync, synchronous_commit on)" : "NOT durable (fsync off)")"
              + "; group commit \(groupCommit ? "on" : "off")")

        var stacks = seated
        var handNumber = 0
        var rates: [Double] = []
        var pgCPU: [Double] = []
        var ownCPU: [Double] = []
        var trips: [Double] = []
        for run in 1...runs {
            let postgresBefore = LedgerBenchCPU.postgresSeconds(dataDirectory: dataDirectory)
            let selfBefore = LedgerBenchCPU.processSeconds()
            let tripsBefore = pool.roundTrips
            let start = DispatchTime.now().uptimeNanoseconds
            let firstHand = handNumber
            let outcome = try await withThrowingTaskGroup(of: (Int, [HandPlayerResult], [UInt64]).self) { group in
                for table in 0..<tables {
                    let seats = stacks[table]
                    group.addTask {
                        var seats = seats
                        var rng = EngineBenchRandom(state: UInt64(table * 7919 + firstHand + 1))
                        var latencies: [UInt64] = []
                        latencies.reserveCapacity(hands)
                        if pauseMillis > 0 {  // tables start spread over one pause, as live tables would be
                            try await Task.sleep(for: .milliseconds(Int(rng.next() % UInt64(pauseMillis))))
                        }
                        for h in 0..<hands {
                            if pauseMillis > 0 && h > 0 { try await Task.sleep(for: .milliseconds(pauseMillis)) }
                            let result = Self.hand(table: table, number: firstHand + h + 1, seats: &seats, record: record, rng: &rng)
                            let began = DispatchTime.now().uptimeNanoseconds
                            try await ledger.recordHand(result)
                            latencies.append(DispatchTime.now().uptimeNanoseconds - began)
                        }
                        return (table, seats, latencies)
                    }
                }
                var latencies: [UInt64] = []
                var next = stacks
                for try await (table, seats, times) in group {
                    next[table] = seats
                    latencies += times
                }
                return (next, latencies)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            stacks = outcome.0
            handNumber += hands
            let count = Double(tables * hands)
            let postgres = LedgerBenchCPU.postgresSeconds(dataDirectory: dataDirectory) - postgresBefore
            let own = LedgerBenchCPU.processSeconds() - selfBefore
            let roundTrips = Double(pool.roundTrips - tripsBefore)
            let sorted = outcome.1.sorted()
            func percentile(_ p: Double) -> Double {
                Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6
            }
            rates.append(count / seconds)
            pgCPU.append(postgres / count * 1000)
            ownCPU.append(own / count * 1000)
            trips.append(roundTrips / count)
            print(String(format: "run %d: %.0f hands in %.2f s = %.0f hands/s; CPU per hand: postgres %.3f ms, felt %.3f ms; "
                         + "%.2f round trips per hand; write latency p50 %.2f ms, p99 %.2f ms",
                         run, count, seconds, count / seconds, postgres / count * 1000, own / count * 1000, roundTrips / count,
                         percentile(0.5), percentile(0.99)))
        }
        func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
        print(String(format: "median of %d runs: %.0f hands/s, postgres CPU %.3f ms/hand, felt CPU %.3f ms/hand, %.2f round trips/hand",
                     runs, median(rates), median(pgCPU), median(ownCPU), median(trips)))
        print("load average: " + ((try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8)) ?? "?")
            .trimmingCharacters(in: .whitespacesAndNewlines))

        // Money check: every chip is still accounted for.
        let audit = try await JournalAudit.run(schema: schema, pool: pool, escrowsMustBeEmpty: false)
        let expectedEscrow = Int64(tables * players * Self.stack)
        let escrowed = stacks.flatMap { $0 }.reduce(0) { $0 + Int64($1.finalStack) }
        print("audit: \(audit.violations.isEmpty ? "clean" : "VIOLATIONS: \(audit.violations)"); "
              + "escrow \(audit.escrows) (seated stacks \(escrowed)), house \(audit.house), sum \(audit.escrows + audit.house) of \(expectedEscrow)")
        return audit.violations.isEmpty && audit.escrows == escrowed && audit.escrows + audit.house == expectedEscrow ? 0 : 1
    }

    /// One synthetic hand: every player but a random winner puts in 0–60 chips (never more
    /// than their stack); the winner takes the pot less a 5 % rake capped at 30.
    static func hand(table: Int, number: Int, seats: inout [HandPlayerResult], record: HandRecord,
                     rng: inout EngineBenchRandom) -> HandResult {
        let winner = Int(rng.next() % UInt64(seats.count))
        var pot = 0
        for i in seats.indices {
            seats[i].startingStack = seats[i].finalStack
            guard i != winner else { continue }
            let loss = min(seats[i].startingStack, Int(rng.next() % 61))
            seats[i].finalStack = seats[i].startingStack - loss
            pot += loss
        }
        let rake = min(30, pot / 20)
        seats[winner].finalStack = seats[winner].startingStack + pot - rake
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        return HandResult(tableID: "t\(table)", handNumber: number, record: record, players: seats, rake: rake,
                          startedAt: now - 20_000, finishedAt: now)
    }

    /// A real record of one hand played by the engine, so the stored JSON has a realistic size.
    static func sampleRecord(players: Int) throws -> HandRecord {
        var rng = EngineBenchRandom(state: 42)
        var deck = Card.fullDeck
        deck.shuffle(using: &rng)
        var hand = try HandState(rules: GameRules(variant: .nlhe, smallBlind: 5, bigBlind: 10),
                                 seats: [SeatSetup](repeating: SeatSetup(stack: 1000), count: players), button: 0, deck: deck)
        while let legal = hand.legalActions() {
            try hand.apply(legal.randomAction(using: &rng), by: legal.seat)
        }
        guard let record = hand.record else { throw LedgerBenchError("the engine produced no hand record") }
        return record
    }
}

/// CPU time of this process and of a cluster's PostgreSQL processes, from /proc.
enum LedgerBenchCPU {
    /// User + system CPU seconds of this process.
    static func processSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// User + system CPU seconds of the postmaster of `dataDirectory` and its children
    /// (backends, WAL writer, checkpointer…), alive now.
    static func postgresSeconds(dataDirectory: String) -> Double {
        guard let pidText = try? String(contentsOfFile: dataDirectory + "/postmaster.pid", encoding: .utf8),
              let postmaster = pidText.split(separator: "\n").first.flatMap({ Int($0) }) else { return 0 }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total = 0.0
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int(entry), let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { continue }
            // Fields after "pid (comm)": state ppid … utime(14) stime(15), counted from 1.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 13, let ppid = Int(fields[1]), pid == postmaster || ppid == postmaster,
                  let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total += (user + system) / ticks
        }
        return total
    }
}

struct LedgerBenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
