import Foundation
import PokerEngine

/// Fast non-cryptographic generator for benchmark decisions and shuffles (SplitMix64).
struct EngineBenchRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Plays complete random no-limit hold'em hands on one core (shuffle, deal, random legal
/// actions, showdown, settle; no I/O) and prints hands per second, by thread CPU time (immune to
/// other processes on a shared machine) and by wall clock.
///
/// Options: `--engine-hands N` (default 1,000,000), `--players N` (2…10,
/// default 6), `--seed N` (default 1). Other options are ignored, so the function can share an
/// argument list with other `felt bench engine` parts.
func benchRandomHands(arguments: [String]) -> Int32 {
    var values: [String: String] = [:]
    var index = 0
    while index < arguments.count {
        var name = arguments[index]
        index += 1
        guard name.hasPrefix("--") else { continue }
        name.removeFirst(2)
        if let eq = name.firstIndex(of: "=") {
            values[String(name[..<eq])] = String(name[name.index(after: eq)...])
        } else if ["engine-hands", "players", "seed"].contains(name), index < arguments.count {
            values[name] = arguments[index]
            index += 1
        }
    }
    let handsText = values["engine-hands"]
    let hands = handsText.flatMap { Int($0) } ?? 1_000_000
    let players = values["players"].flatMap { Int($0) } ?? 6
    let seed = values["seed"].flatMap { UInt64($0) } ?? 1
    guard hands > 0, (2...10).contains(players), handsText == nil || Int(handsText ?? "") != nil else {
        printError("felt bench engine: --engine-hands must be a positive integer and --players 2…10")
        return 2
    }
    let rules = GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2)
    let seats = [SeatSetup](repeating: SeatSetup(stack: 200), count: players)
    var rng = EngineBenchRandom(state: seed)
    var deck = Card.fullDeck
    var actions = 0
    var showdowns = 0
    var checksum = 0
    let start = DispatchTime.now().uptimeNanoseconds
    let cpuStart = engineBenchCPUSeconds()
    for h in 0..<hands {
        // Fisher–Yates with the fast generator (the engine takes any deck order).
        var i = deck.count - 1
        while i > 0 {
            let j = Int(rng.next().multipliedFullWidth(by: UInt64(i + 1)).high)
            deck.swapAt(i, j)
            i -= 1
        }
        do {
            var hand = try HandState(rules: rules, seats: seats, button: h % players, deck: deck)
            while let legal = hand.legalActions() {
                try hand.apply(legal.randomAction(using: &rng), by: legal.seat)
                actions += 1
            }
            if !hand.showdown.isEmpty { showdowns += 1 }
            checksum &+= hand.rake &+ hand.board.count
        } catch {
            printError("felt bench engine: hand \(h) failed: \(error)")
            return 1
        }
    }
    let cpuSeconds = engineBenchCPUSeconds() - cpuStart
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    print("random no-limit hands (\(players) players, one core): \(hands) hands, "
          + String(format: "%.0f", Double(hands) / cpuSeconds) + " hands/s by CPU time ("
          + String(format: "%.3f", cpuSeconds) + " s), "
          + String(format: "%.0f", Double(hands) / seconds) + " hands/s by wall clock ("
          + String(format: "%.3f", seconds) + " s); \(actions) actions, \(showdowns) showdowns, check \(checksum)")
    print("target: >= 250,000 hands/s (release build); options used: --engine-hands \(hands) --players \(players) --seed \(seed)")
    return 0
}

/// CPU time used by the calling thread, in seconds (immune to other processes on the machine).
func engineBenchCPUSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}
