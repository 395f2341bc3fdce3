import FeltNet
import Foundation
import Glibc

/// `felt bots`: bot players against a running server (the issue 6 benchmark).
let botsCommand = Subcommand(
    name: "bots",
    summary: "Run bot players against a server",
    usage: """
    USAGE: felt bots --url http://127.0.0.1:PORT --host HOST [--tables M] [--bots-per-table N]
                     [--duration SECONDS] [--think MS] [--warmup SECONDS] [--buy-in CHIPS]
                     [--prefix NAME] [--loops L] [--workers W] [--setup-timeout SECONDS]
                     [--audit-config PATH] [--trace]

    N×M bots (one WebSocket each) register or log in (user PREFIX<i>, password
    "felt-bots-password"), join the first M tables with at least N seats over HTTP and
    connect; only when every bot is seated and connected do they start playing: a 6-max
    cash-game move mix (docs/bots.md), each move after a think time (uniform 0.5–1.5 × MS).
    After the warm-up, every second: hands/s, moves/s and the move-to-view latency (time from
    sending a move to the first game view reflecting it); at the end the offered load
    (tables × one move per think time) against the achieved one.
    At the end every bot leaves over HTTP, the wallets are summed (before − after = the house's
    rake, never negative) and, with --audit-config, `felt audit --config PATH` is run.

    OPTIONS:
      --url URL            server base URL (default http://127.0.0.1:8080)
      --host HOST          tenant host name sent in Host (default: the URL's host)
      --tables M           tables to fill (default 10)
      --bots-per-table N   bots per table (default 6)
      --duration SECONDS   measured play time (default 30)
      --think MS           mean think time before each move, uniform 0.5–1.5 × MS
                           (default 200; 0 = act at once, a closed loop)
      --warmup SECONDS     play before measuring (default 5)
      --buy-in CHIPS       buy-in per bot (default: the table's maximum buy-in, else 1000)
      --prefix NAME        username prefix (default "bot")
      --loops L            client event loops (default 1)
      --workers W          parallel HTTP clients for setup and teardown (default 16)
      --setup-timeout S    give up when not every bot is connected after S seconds of joins
                           (default 300)
      --audit-config PATH  run `felt audit --config PATH` at the end
      --trace              print every message bot 0 sends and receives (standard error)

    Exit status 0 when every bot connected, left cleanly and the chip check (and audit) passed.
    """,
    run: { arguments in
        let options: BotsOptions
        do { options = try BotsOptions(arguments) } catch {
            printError("felt bots: \(error)\n\n\(botsCommand.usage)")
            return 2
        }
        return await BotsRun(options: options).run()
    }
)

/// Parsed `felt bots` options.
struct BotsOptions: Sendable {
    var address = "127.0.0.1"
    var port: UInt16 = 8080
    var host = "127.0.0.1"
    var tables = 10
    var perTable = 6
    var duration = 30.0
    var buyIn: Int?
    var prefix = "bot"
    var loops = 1
    var workers = 16
    var think = 200.0
    var warmup = 5.0
    var setupTimeout = 300.0
    var auditConfig: String?
    var trace = false
    static let password = "felt-bots-password"

    init(_ arguments: [String]) throws(UsageError) {
        let parsed = try ParsedOptions(arguments, valued: ["url", "host", "tables", "bots-per-table", "duration", "buy-in",
                                                           "prefix", "loops", "workers", "audit-config",
                                                           "think", "warmup", "setup-timeout"],
                                         flags: ["trace"])
        trace = parsed.flags.contains("trace")
        guard parsed.positional.isEmpty else { throw UsageError("unexpected argument \(parsed.positional[0])") }
        if let url = parsed.values["url"] {
            guard url.hasPrefix("http://") else { throw UsageError("--url must start with http://") }
            let rest = url.dropFirst(7).split(separator: "/", maxSplits: 1).first.map(String.init) ?? ""
            let parts = rest.split(separator: ":")
            guard parts.count == 2, let port = UInt16(parts[1]) else { throw UsageError("--url needs http://ADDRESS:PORT") }
            address = parts[0] == "localhost" ? "127.0.0.1" : String(parts[0])
            self.port = port
            host = String(parts[0])
        }
        if let value = parsed.values["host"] { host = value }
        func positive(_ name: String) throws(UsageError) -> Int? {
            guard let text = parsed.values[name] else { return nil }
            guard let value = Int(text), value > 0 else { throw UsageError("--\(name) must be a positive integer") }
            return value
        }
        tables = try positive("tables") ?? tables
        perTable = try positive("bots-per-table") ?? perTable
        buyIn = try positive("buy-in")
        loops = try positive("loops") ?? loops
        workers = try positive("workers") ?? workers
        func number(_ name: String, allowZero: Bool) throws(UsageError) -> Double? {
            guard let text = parsed.values[name] else { return nil }
            guard let value = Double(text), value.isFinite, allowZero ? value >= 0 : value > 0 else {
                throw UsageError("--\(name) must be a \(allowZero ? "non-negative" : "positive") number")
            }
            return value
        }
        duration = try number("duration", allowZero: false) ?? duration
        think = try number("think", allowZero: true) ?? think
        warmup = try number("warmup", allowZero: true) ?? warmup
        setupTimeout = try number("setup-timeout", allowZero: false) ?? setupTimeout
        if let value = parsed.values["prefix"] { prefix = value }
        auditConfig = parsed.values["audit-config"]
    }
}

/// One `felt bots` run: setup, play, report, teardown, audit.
struct BotsRun: Sendable {
    let options: BotsOptions

    var endpoint: BotEndpoint { BotEndpoint(address: options.address, port: options.port, host: options.host) }

    func client(_ worker: Int) -> BotHTTPClient {
        BotHTTPClient(address: options.address, port: options.port, host: options.host,
                      sourceAddress: "127.2.\(worker / 250).\(worker % 250 + 1)")
    }

    func run() async -> Int32 {
        _ = raiseDescriptorLimit()
        let total = options.tables * options.perTable
        // Tables.
        let bootstrap = client(0)
        let lobbyToken: String
        let chosen: [BotTable]
        do {
            lobbyToken = try account(bootstrap, username: options.prefix + "0").token
            chosen = try pickTables(bootstrap, token: lobbyToken)
        } catch {
            printError("felt bots: \(error)")
            return 1
        }
        say("felt bots: \(total) bots on \(chosen.count) tables of \(options.host) at \(options.address):\(options.port), buy-in \(chosen.first?.buyIn ?? 0)")

        // Accounts, in parallel.
        let tokens = Locked([String](repeating: "", count: total))
        let before = Locked([Int](repeating: 0, count: total))
        let failures = Locked([String]())
        let setupStart = Date()
        let created = Locked(0)
        parallel(total) { http, i in
            do {
                let session = try account(http, username: options.prefix + String(i))
                tokens.withLock { $0[i] = session.token }
                if session.created { created.withLock { $0 += 1 } }
                let wallet = try http.request("GET", "/api/wallet", token: session.token)
                before.withLock { $0[i] = wallet.object["balance"] as? Int ?? 0 }
            } catch {
                failures.withLock { $0.append("bot \(i): \(error)") }
            }
        }
        let accountsSeconds = Date().timeIntervalSince(setupStart)
        say(String(format: "accounts: %d ready in %.1f s (%d registered, %d logged in)", total, accountsSeconds,
                     created.withLock { $0 }, total - created.withLock { $0 }))
        if !failures.withLock({ $0.isEmpty }) {
            for line in failures.withLock({ $0 }).prefix(10) { printError("felt bots: \(line)") }
            return 1
        }

        // Loops and bots.
        let group: EventLoopGroup
        do { group = try EventLoopGroup(loopCount: options.loops) } catch {
            printError("felt bots: event loops: \(error)")
            return 1
        }
        let think = BotThinkTime(milliseconds: options.think)
        let contexts = group.loops.map {
            BotLoopContext(loop: $0, tableCount: chosen.count, bigBlinds: chosen.map(\.bigBlind), think: think)
        }
        let rejoinQueue = BotRejoinQueue()
        var bots: [BotConnection] = []
        for i in 0..<total {
            let table = i / options.perTable
            bots.append(BotConnection(index: i, tableIndex: table, tableID: chosen[table].id, endpoint: endpoint,
                                      context: contexts[table % contexts.count], onUnseated: { rejoinQueue.push($0) }))
        }
        let allBots = bots
        for bot in allBots { bot.loop.execute { bot.context.bots[bot.tableIndex].append(bot) } }

        let runTag = String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36)
        // Rejoins of busted bots, in the background (from the first join on).
        let stopRejoins = Locked(false)
        let rejoinTimes = Locked((count: 0, seconds: 0.0, max: 0.0))
        for worker in 0..<options.workers {
            let rejoinThread = Thread {
                let http = client(options.workers + 1 + worker)
                while !stopRejoins.withLock({ $0 }) {
                    guard let i = rejoinQueue.pop(timeout: 0.2) else { continue }
                    let table = chosen[i / options.perTable]
                    let token = tokens.withLock { $0[i] }
                    let key = "bots-\(runTag)-\(i)-\(UUID().uuidString.prefix(8))"
                    let sent = Date()
                    defer {
                        let took = Date().timeIntervalSince(sent)
                        rejoinTimes.withLock { $0 = ($0.count + 1, $0.seconds + took, max($0.max, took)) }
                    }
                    let response = try? http.request("POST", "/api/tables/\(table.id)/join", json: #"{"buy_in_amount":\#(table.buyIn)}"#,
                                                     token: token, headers: [("Idempotency-Key", key)])
                    let bot = allBots[i]
                    let alreadySeated = response?.status == 409 && response?.text.contains("already_seated") == true
                    guard let response, response.status == 200 || alreadySeated else {
                        let code = response.map { "rejoin_\($0.status)_" + (($0.object["code"] as? String) ?? "") } ?? "rejoin_failed"
                        bot.context.counters.withLock { $0.error(code) }
                        continue
                    }
                    bot.loop.execute { bot.connect() }
                }
            }
            rejoinThread.start()
        }

        // Joins over HTTP, then the WebSocket.
        let joinStart = Date()
        parallel(total) { http, i in
            let token = tokens.withLock { $0[i] }
            let table = chosen[i / options.perTable]
            do {
                let response = try http.request("POST", "/api/tables/\(table.id)/join", json: #"{"buy_in_amount":\#(table.buyIn)}"#,
                                                token: token, headers: [("Idempotency-Key", "bots-\(runTag)-\(i)")])
                guard response.status == 200 || (response.status == 409 && response.text.contains("already_seated")) else {
                    failures.withLock { $0.append("join \(table.id) by bot \(i): \(response.status) \(response.text)") }
                    return
                }
            } catch {
                failures.withLock { $0.append("join by bot \(i): \(error)") }
                return
            }
            let bot = allBots[i]
            bot.loop.execute {
                bot.token = token
                bot.trace = options.trace && i == 0
                bot.connect()
            }
        }
        if !failures.withLock({ $0.isEmpty }) {
            for line in failures.withLock({ $0 }).prefix(10) { printError("felt bots: \(line)") }
            printError("felt bots: \(failures.withLock { $0.count }) join(s) failed; stopping")
            for bot in allBots { bot.loop.execute { bot.disconnect() } }
            try? await Task.sleep(for: .milliseconds(300))
            group.shutdown()
            return 1
        }
        // Everyone seated and connected (busted bots may still be rejoining: wait for them too).
        let deadline = joinStart.addingTimeInterval(options.setupTimeout)
        while connected(contexts) < total, Date() < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        let joinSeconds = Date().timeIntervalSince(joinStart)
        let connectedAtStart = connected(contexts)
        say(String(format: "joined and connected: %d/%d in %.1f s (setup %.1f s in all)", connectedAtStart, total, joinSeconds,
                   Date().timeIntervalSince(setupStart)))
        let setup = collect(contexts)
        let setupErrors = setup.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        say("during setup: \(setup.hands) hands, \(setup.rejoins) bots unseated (busted) and queued to rejoin; errors: \(setupErrors.isEmpty ? "none" : setupErrors)")
        var ok = connectedAtStart == total
        if !ok { printError("felt bots: only \(connectedAtStart) of \(total) bots connected within --setup-timeout \(options.setupTimeout) s") }

        // Play: the hold ends, a warm-up, then the measurement.
        for context in contexts { context.loop.execute { context.startPlaying() } }
        if options.warmup > 0 {
            say(String(format: "warm-up: %.0f s of play (think %.0f ms, uniform 0.5–1.5×)", options.warmup, options.think))
            try? await Task.sleep(for: .milliseconds(Int(options.warmup * 1000)))
        }
        for context in contexts { context.counters.withLock { $0 = BotCounters(connected: $0.connected) } }
        let report = BotReport()
        let started = Date()
        say("   t |  hands/s | moves/s |  views/s | p50 ms | p95 ms | p99 ms | errors | connected")
        while Date().timeIntervalSince(started) < options.duration {
            try? await Task.sleep(for: .seconds(1))
            let interval = collect(contexts)
            report.add(interval)
            let elapsed = Date().timeIntervalSince(started)
            let seconds = max(0.001, elapsed - report.lastElapsed)
            report.lastElapsed = elapsed
            let sorted = interval.latenciesMicros.sorted()
            say(String(format: "%4.0f | %8.1f | %7.0f | %8.0f | %6.2f | %6.2f | %6.2f | %6d | %d", elapsed,
                         Double(interval.hands) / seconds, Double(interval.actions) / seconds, Double(interval.views) / seconds,
                         percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                         interval.errors.values.reduce(0, +), connected(contexts)))
        }
        let measured = Date().timeIntervalSince(started)
        let all = report.total
        let sorted = all.latenciesMicros.sorted()
        say(String(format: "total: %d hands in %.1f s = %.1f hands/s; %d moves = %.0f/s; move→view latency p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms (%d samples)",
                     all.hands, measured, Double(all.hands) / measured, all.actions, Double(all.actions) / measured,
                     percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99),
                     Double(sorted.last ?? 0) / 1000, sorted.count))
        say(BotLoad(tables: chosen.count, think: think, seconds: measured, counters: all).summary)
        let errorText = all.errors.isEmpty ? "none" : all.errors.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let rejoinTime = rejoinTimes.withLock { $0 }
        say("errors: \(errorText); unseated (busted): \(all.rejoins), rejoined: \(all.rejoined)"
            + String(format: " (%d rejoin POSTs in the whole run, %.0f ms mean, %.0f ms max)", rejoinTime.count,
                     rejoinTime.count == 0 ? 0 : 1000 * rejoinTime.seconds / Double(rejoinTime.count), 1000 * rejoinTime.max)
            + "; connected at the end: \(connected(contexts))/\(total)")

        // Teardown: nobody moves any more, everyone leaves over HTTP, then the sockets close.
        stopRejoins.withLock { $0 = true }
        for context in contexts { context.loop.execute { context.stopPlaying() } }
        let leaveCodes = Locked([Int: Int]())
        parallel(total) { http, i in
            let token = tokens.withLock { $0[i] }
            let status = (try? http.request("POST", "/api/tables/\(chosen[i / options.perTable].id)/leave", json: "{}", token: token))?.status ?? -1
            leaveCodes.withLock { $0[status, default: 0] += 1 }
        }
        for bot in allBots { bot.loop.execute { bot.disconnect() } }
        try? await Task.sleep(for: .milliseconds(500))
        let after = Locked([Int](repeating: 0, count: total))
        parallel(total) { http, i in
            let token = tokens.withLock { $0[i] }
            let wallet = try? http.request("GET", "/api/wallet", token: token)
            after.withLock { $0[i] = wallet?.object["balance"] as? Int ?? -1 }
        }
        group.shutdown()
        let sumBefore = before.withLock { $0.reduce(0, +) }
        let sumAfter = after.withLock { $0.reduce(0, +) }
        let negative = after.withLock { $0.filter { $0 < 0 }.count }
        let codes = leaveCodes.withLock { $0 }.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")
        say("leave: \(codes) (409 = already unseated)")
        ok = ok && negative == 0 && sumAfter <= sumBefore && leaveCodes.withLock({ $0.keys.allSatisfy { $0 == 200 || $0 == 409 } })
            && all.errors["ws_closed_by_server", default: 0] == 0
        say("chips: wallets before \(sumBefore), after \(sumAfter): the house took \(sumBefore - sumAfter) in rake; \(negative) wallet(s) unreadable — \(ok ? "consistent" : "INCONSISTENT")")
        if let path = options.auditConfig {
            let status = runAudit(path)
            say("felt audit --config \(path): exit \(status)")
            ok = ok && status == 0
        }
        return ok ? 0 : 1
    }

    // MARK: Helpers

    /// Registers the user, or logs in if the name is taken; retries when rate limited.
    func account(_ http: BotHTTPClient, username: String) throws -> (token: String, created: Bool) {
        let body = #"{"username":"\#(username)","password":"\#(BotsOptions.password)"}"#
        for _ in 0..<50 {
            let registered = try http.request("POST", "/api/auth/register", json: body)
            if registered.status == 201, let token = registered.object["access_token"] as? String { return (token, true) }
            if registered.status == 429 { Thread.sleep(forTimeInterval: 1); continue }
            let login = try http.request("POST", "/api/auth/login", json: body)
            if login.status == 200, let token = login.object["access_token"] as? String { return (token, false) }
            if login.status == 429 { Thread.sleep(forTimeInterval: 1); continue }
            throw BotHTTPError("\(username): register \(registered.status) \(registered.text); login \(login.status) \(login.text)")
        }
        throw BotHTTPError("\(username): rate limited (raise register_rate/login_rate for the bench tenant)")
    }

    /// The first M tables (by id) with at least N seats, each one's buy-in and big blind.
    func pickTables(_ http: BotHTTPClient, token: String) throws -> [BotTable] {
        let wallet = (try? http.request("GET", "/api/wallet", token: token))?.object["balance"] as? Int ?? Int.max
        let response = try http.request("GET", "/api/tables", token: token)
        guard response.status == 200 else { throw BotHTTPError("GET /api/tables: \(response.status) \(response.text)") }
        let json = try? JSONSerialization.jsonObject(with: Data(response.body))
        let list = (json as? [[String: Any]]) ?? ((json as? [String: Any])?["tables"] as? [[String: Any]]) ?? []
        var tables: [(table: BotTable, order: (Int, String))] = []
        for table in list {
            guard let id = table["id"] as? String, (table["private"] as? Bool) != true else { continue }
            let seats = table["seats"] as? Int ?? (table["seats"] as? [Any])?.count ?? 0
            guard seats >= options.perTable else { continue }
            let maxBuyIn = table["buy_in_max"] as? Int
            if let minBuyIn = table["buy_in_min"] as? Int, minBuyIn > wallet { continue }
            let numeric = Int(id.split(separator: "-").last ?? "") ?? 0
            let bigBlind = table["big_blind"] as? Int ?? 2
            tables.append((BotTable(id: id, buyIn: options.buyIn ?? maxBuyIn ?? 1000, bigBlind: bigBlind), (numeric, id)))
        }
        tables.sort { $0.order.1.split(separator: "-").dropLast().joined() == $1.order.1.split(separator: "-").dropLast().joined()
            ? $0.order.0 < $1.order.0 : $0.order.1 < $1.order.1 }
        guard tables.count >= options.tables else {
            throw BotHTTPError("only \(tables.count) public tables with ≥ \(options.perTable) seats; asked for \(options.tables)")
        }
        return tables.prefix(options.tables).map(\.table)
    }

    /// Runs `body(client, i)` for i in 0..<count on `workers` threads, each with its own client.
    func parallel(_ count: Int, _ body: @escaping @Sendable (BotHTTPClient, Int) -> Void) {
        let next = Locked(0)
        let group = DispatchGroup()
        for worker in 0..<min(options.workers, max(1, count)) {
            group.enter()
            let thread = Thread {
                let http = client(worker + 1)
                while true {
                    let i = next.withLock { value -> Int in
                        defer { value += 1 }
                        return value
                    }
                    guard i < count else { break }
                    body(http, i)
                    if count >= 2000, (i + 1) % 1000 == 0 { say("  … \(i + 1)/\(count)") }
                }
                group.leave()
            }
            thread.start()
        }
        group.wait()
    }

    func connected(_ contexts: [BotLoopContext]) -> Int {
        contexts.reduce(0) { sum, context in sum + context.counters.withLock { $0.connected } }
    }

    /// Takes and resets every loop's counters (keeping the connection count).
    func collect(_ contexts: [BotLoopContext]) -> BotCounters {
        var merged = BotCounters()
        for context in contexts {
            let taken = context.counters.withLock { counters -> BotCounters in
                let copy = counters
                counters = BotCounters(connected: counters.connected)
                return copy
            }
            merged.add(taken)
        }
        return merged
    }

    func runAudit(_ path: String) -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        process.arguments = ["audit", "--config", path]
        do { try process.run() } catch {
            printError("felt bots: cannot run felt audit: \(error)")
            return -1
        }
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Writes a line to standard output at once (progress stays visible in a pipe or file).
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Milliseconds at fraction `p` of sorted microsecond samples.
func percentile(_ sorted: [UInt32], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    return Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1000
}

/// The whole measurement, accumulated from the per-second intervals.
final class BotReport: @unchecked Sendable {
    // @unchecked Sendable: used only by the run's main flow.
    var total = BotCounters()
    var lastElapsed = 0.0

    func add(_ interval: BotCounters) {
        total.add(interval)
    }
}

/// Bots waiting to rejoin after the server unseated them (busted).
final class BotRejoinQueue: Sendable {
    private let items = Locked([Int]())
    private let signal = DispatchSemaphore(value: 0)

    func push(_ index: Int) {
        items.withLock { $0.append(index) }
        signal.signal()
    }

    func pop(timeout: Double) -> Int? {
        guard signal.wait(timeout: .now() + timeout) == .success else { return nil }
        return items.withLock { $0.isEmpty ? nil : $0.removeFirst() }
    }
}

/// A table the bots play on.
struct BotTable: Sendable {
    var id: String
    var buyIn: Int
    var bigBlind: Int
}

/// Offered against achieved load of a measurement: with think time T (mean) each table can
/// make at most one move per T, so N tables offer N/T moves/s; the rest of a table's time
/// goes to the move→view latency, dealing and the pause between hands.
struct BotLoad {
    var tables: Int
    var think: BotThinkTime
    var seconds: Double
    var counters: BotCounters

    /// Moves/s the tables would make if every move were answered at once (nil: no think time).
    var offeredMoves: Double? {
        think.meanNanos == 0 ? nil : Double(tables) * 1e9 / Double(think.meanNanos)
    }

    var achievedMoves: Double { Double(counters.actions) / max(0.001, seconds) }
    var movesPerHand: Double { counters.hands == 0 ? 0 : Double(counters.actions) / Double(counters.hands) }
    /// The mean think time actually taken (with the rate-limit gap), in milliseconds.
    var meanThinkMillis: Double { counters.thinks == 0 ? 0 : Double(counters.thinkNanos) / Double(counters.thinks) / 1e6 }

    var summary: String {
        let offered = offeredMoves.map { o -> String in
            String(format: "%.0f moves/s (%d tables × 1 move per %.0f ms think)", o, tables, Double(think.meanNanos) / 1e6)
                + (movesPerHand > 0 ? String(format: " ≈ %.1f hands/s at %.1f moves/hand", o / movesPerHand, movesPerHand) : "")
        } ?? "unbounded (no think time: a closed loop, every table always has a move in flight)"
        let share = offeredMoves.map { String(format: " = %.0f %% of offered", 100 * achievedMoves / $0) } ?? ""
        return "load: offered " + offered + String(format: "; achieved %.0f moves/s", achievedMoves) + share
            + String(format: ", %.1f hands/s; think taken %.1f ms mean", Double(counters.hands) / max(0.001, seconds), meanThinkMillis)
    }
}
