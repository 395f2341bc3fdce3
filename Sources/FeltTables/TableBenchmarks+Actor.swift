import Synchronization
import PokerEngine

/// Figures from `TableBenchmarks.measureActorBroadcast`.
public struct BroadcastBenchmarkResult: Sendable, CustomStringConvertible {
    /// Hands completed.
    public var hands: Int
    /// Player actions applied through the actor.
    public var actions: Int
    /// Messages delivered to sinks (views + events).
    public var messages: Int
    /// Wall-clock seconds.
    public var seconds: Double
    /// CPU seconds of the whole process (the driver, the actor's executor, the sinks).
    public var cpuSeconds: Double = 0
    /// Bytes the sinks were handed (when they count them).
    public var bytes: Int = 0
    /// Process CPU microseconds per action.
    public var cpuMicrosPerAction: Double { cpuSeconds * 1e6 / Double(max(actions, 1)) }
    public var description: String {
        let s = max(seconds, 1e-9)
        return "\(hands) hands, \(actions) actions, \(messages) messages in \(seconds.formatted2) s: "
            + "\(Int(Double(hands) / s)) hands/s, \(Int(Double(actions) / s)) actions/s, \(Int(Double(messages) / s)) messages/s"
    }
}

extension Double {
    var formatted2: String {
        let hundredths = Int((self * 100).rounded())
        let frac = hundredths % 100
        return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
    }
}

/// A ledger that accepts everything (benchmarks only).
struct AcceptingLedger: TableLedger {
    func buyIn(tableID: String, user: UserID, amount: Int) async throws {}
    func recordHand(_ result: HandResult) async throws {}
    func cashOut(_ cashOut: CashOut) async throws {}
}

/// A sink that only counts (benchmarks only).
final class CountingSink: TableViewerSink {
    let count = Atomic<Int>(0)
    func deliver(_ message: SharedMessage) { count.add(1, ordering: .relaxed) }
}

extension TableBenchmarks {
    /// Drives one `TableActor` (6 seated bots, each connected, plus `spectators` watchers)
    /// with random legal actions for about `seconds`: every action renders and delivers the
    /// events and the views of every viewer, and every hand goes through the (no-op) ledger.
    public static func measureActorBroadcast(seconds: Double = 2, players: Int = 6,
                                             spectators: Int = 4) async throws -> BroadcastBenchmarkResult {
        let sinks = Mutex<[CountingSink]>([])
        var result = try await measureActorBroadcast(seconds: seconds, players: players, spectators: spectators,
                                                     connectPlayers: true) { _ in
            let sink = CountingSink()
            sinks.withLock { $0.append(sink) }
            return sink
        }
        result.messages = sinks.withLock { $0.reduce(0) { $0 + $1.count.load(ordering: .relaxed) } }
        return result
    }

    /// The same with sinks from `makeSink` (viewer index → sink; the caller counts what they
    /// receive) and process CPU time: with `connectPlayers` false and no spectators it is the
    /// cost of an action without any view or delivery.
    /// `executor`: where the table runs (pass the driving task's own executor to measure
    /// without thread switches).
    public static func measureActorBroadcast(seconds: Double, players: Int, spectators: Int, connectPlayers: Bool,
                                             executor: (any SerialExecutor)? = nil,
                                             makeSink: (Int) -> any TableViewerSink) async throws -> BroadcastBenchmarkResult {
        let n = max(2, min(players, 10))
        let settings = TableSettings(tableID: "bench-table", name: "Bench",
                                     rules: GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2),
                                     buyInMin: 100, buyInMax: 100_000, seatCount: n, handPauseMillis: 0)
        let clock = ManualTableClock(start: 1)
        let table = try TableActor(settings: settings, ledger: AcceptingLedger(), executor: executor, clock: clock,
                                   deckSource: .seeded(SeededCardRandom(seed: 5)), automaticTimers: false)
        for i in 0..<n {
            _ = await table.join(user: UserID(Int64(i + 1)), username: "bot-\(i + 1)", buyIn: 100_000)
            if connectPlayers {
                await table.connect(viewer: ViewerID(UInt64(i)), user: UserID(Int64(i + 1)), sink: makeSink(i))
            }
        }
        for j in 0..<spectators {
            await table.connect(viewer: ViewerID(UInt64(n + j)), user: nil, sink: makeSink(n + j))
            _ = await table.spectate(viewer: ViewerID(UInt64(n + j)))
        }
        var rng = BenchmarkRandom(seed: 17)
        var actions = 0
        let startHand = await table.currentState().handNumber
        let wall = ContinuousClock()
        let start = wall.now
        let cpuStart = processCPUSeconds()
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<200 {
                let state = await table.currentState()
                if let hand = state.hand, !hand.isFinished, let legal = hand.legalActions(),
                   let user = state.seats[legal.seat]?.user {
                    _ = await table.act(user: user, action: legal.randomAction(using: &rng))
                    actions += 1
                } else {
                    await table.drainLedger()
                    clock.advance(by: 1)
                    await table.tick()
                    for i in 0..<n where state.seats[i] == nil {
                        _ = await table.join(user: UserID(Int64(i + 1)), username: "bot-\(i + 1)", buyIn: 100_000)
                    }
                }
            }
            let d = wall.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let cpu = processCPUSeconds() - cpuStart
        let hands = await table.currentState().handNumber - startHand
        return BroadcastBenchmarkResult(hands: hands, actions: actions, messages: 0, seconds: elapsed, cpuSeconds: cpu)
    }
}

/// Random numbers for benchmark bots from the engine's seeded source.
struct BenchmarkRandom: RandomNumberGenerator {
    var source: SeededCardRandom
    init(seed: UInt64) { source = SeededCardRandom(seed: seed) }
    mutating func next() -> UInt64 { source.next() }
}
