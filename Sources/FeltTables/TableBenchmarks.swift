#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import PokerEngine

/// CPU seconds used by the calling thread (for per-CPU-second rates on a shared machine).
func threadCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// CPU seconds used by the whole process.
func processCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// Figures from `TableBenchmarks.measureViews`.
public struct ViewBenchmarkResult: Sendable, CustomStringConvertible {
    /// Views rendered.
    public var views: Int
    /// Wall-clock seconds spent.
    public var seconds: Double
    /// CPU seconds of the measuring thread.
    public var cpuSeconds: Double
    /// Average size of one view body in bytes.
    public var averageBytes: Int
    /// Views per wall-clock second.
    public var viewsPerSecond: Double { Double(views) / max(seconds, 1e-9) }
    /// Views per CPU second.
    public var viewsPerCPUSecond: Double { Double(views) / max(cpuSeconds, 1e-9) }
    /// CPU microseconds per render set (the shared render plus one view per seat and the spectator's).
    public var cpuMicrosPerSet: Double = 0
    public var description: String {
        "\(views) views in \(format2(seconds)) s (\(format2(cpuSeconds)) s CPU): \(Int(viewsPerSecond)) views/s wall, \(Int(viewsPerCPUSecond)) views/CPU-s, \(averageBytes) bytes/view"
    }
}

/// Figures from `TableBenchmarks.measureHands`.
public struct HandBenchmarkResult: Sendable, CustomStringConvertible {
    /// Hands completed.
    public var hands: Int
    /// Player actions applied.
    public var actions: Int
    /// Wall-clock seconds spent.
    public var seconds: Double
    /// CPU seconds of the measuring thread.
    public var cpuSeconds: Double
    /// Hands per wall-clock second.
    public var handsPerSecond: Double { Double(hands) / max(seconds, 1e-9) }
    /// Hands per CPU second.
    public var handsPerCPUSecond: Double { Double(hands) / max(cpuSeconds, 1e-9) }
    public var description: String {
        "\(hands) hands (\(actions) actions) in \(format2(seconds)) s (\(format2(cpuSeconds)) s CPU): \(Int(handsPerSecond)) hands/s wall, \(Int(handsPerCPUSecond)) hands/CPU-s"
    }
}

private func format2(_ x: Double) -> String {
    let hundredths = Int((x * 100).rounded())
    let frac = hundredths % 100
    return "\(hundredths / 100).\(frac < 10 ? "0" : "")\(frac)"
}

/// Micro-benchmarks for `felt bench` (release builds; never run as timed unit tests).
public enum TableBenchmarks {
    /// A 6-player table in the middle of a hand (flop dealt, someone to act).
    public static func sampleTable(players: Int = 6, seed: UInt64 = 42) throws -> TableState {
        let settings = TableSettings(tableID: "bench-table", name: "Bench",
                                     rules: GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2),
                                     buyInMin: 100, buyInMax: 1_000, seatCount: max(2, min(players, 10)))
        var state = try TableState(settings: settings, deckSource: .seeded(SeededCardRandom(seed: seed)),
                                   requiresHandRecord: false)
        state.nextHandAt = 1
        for i in 0..<max(2, min(players, 10)) {
            _ = try state.join(user: UserID(Int64(i + 1)), username: "player-\(i + 1)", buyIn: 500 + 50 * i, now: 0)
        }
        _ = state.tick(now: 1)
        // Everyone calls preflop; the flop is dealt.
        while let hand = state.hand, !hand.isFinished, hand.street == .preflop, let a = hand.actor,
              let user = state.seats[a]?.user {
            let legal = hand.legalActions()
            _ = try state.act(user: user, action: legal?.canCheck == true ? .check : .call, now: 1)
        }
        return state
    }

    /// Renders what one broadcast of a table costs (`gameViews()` once, then the spectator
    /// view plus one view per seated player), over and over for about `seconds`.
    public static func measureViews(seconds: Double = 2, players: Int = 6) throws -> ViewBenchmarkResult {
        let state = try sampleTable(players: players)
        let seats = state.seats.compactMap { $0?.seat }
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        var views = 0
        var bytes = 0
        var sets = 0
        var elapsed = 0.0
        while elapsed < seconds {
            for _ in 0..<200 {
                sets += 1
                let set = state.gameViews()
                bytes += set.spectator.body.count
                views += 1
                for s in seats {
                    bytes += set.view(for: s).body.count
                    views += 1
                }
            }
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        let cpu = threadCPUSeconds() - cpuStart
        return ViewBenchmarkResult(views: views, seconds: elapsed, cpuSeconds: cpu,
                                   averageBytes: bytes / max(views, 1), cpuMicrosPerSet: cpu * 1e6 / Double(max(sets, 1)))
    }

    /// Plays complete hands through `TableState` (random legal actions, 6 players, no views)
    /// for about `seconds`: the table layer's own cost per hand on top of the engine.
    public static func measureHands(seconds: Double = 2, players: Int = 6) throws -> HandBenchmarkResult {
        var state = try sampleTable(players: players)
        var rng = BenchmarkRandom(seed: 9)
        var now: Int64 = 1
        var hands = 0
        var actions = 0
        let clock = ContinuousClock()
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        var elapsed = 0.0
        var lastHand = state.handNumber
        while elapsed < seconds {
            for _ in 0..<500 {
                now += 1
                if let hand = state.hand, !hand.isFinished, let legal = hand.legalActions(),
                   let user = state.seats[legal.seat]?.user {
                    _ = try? state.act(user: user, action: legal.randomAction(using: &rng), now: now)
                    actions += 1
                } else {
                    now += state.settings.handPauseMillis
                    _ = state.tick(now: now)
                    // Keep the table full: top up anyone who busted.
                    for i in 0..<state.seats.count where state.seats[i] == nil {
                        _ = try? state.join(user: UserID(Int64(1_000 + hands * 10 + i)), username: "p", buyIn: 500, now: now)
                    }
                }
                if state.handNumber != lastHand { hands += 1; lastHand = state.handNumber }
            }
            let d = clock.now - start
            elapsed = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        }
        return HandBenchmarkResult(hands: hands, actions: actions, seconds: elapsed, cpuSeconds: threadCPUSeconds() - cpuStart)
    }
}

