import Foundation
import PokerEngine

/// `felt bench engine`: evaluator speed (random 7-card hands per second on one core), the
/// full 133,784,560-hand enumeration with its category counts, and the table build time.
///
/// Hidden test mode: `felt bench engine --evaluate-stdin` reads one hand per line and
/// prints its strength (see `evaluateStdin`); Tests/python/evaluator_phevaluator.py uses it.
let benchEngine = Benchmark(name: "engine", summary: "engine benchmark", run: { arguments in
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["hands", "passes", "runs", "engine-hands", "players", "seed"],
                                    flags: ["skip-enumeration", "evaluate-stdin"])
    } catch {
        printError("felt bench engine: \(error)\n\n\(benchEngineUsage)")
        return 2
    }
    if options.flags.contains("evaluate-stdin") { return evaluateStdin() }
    guard let hands = positiveOption(options, "hands", default: 1 << 22),
          let passes = positiveOption(options, "passes", default: 10),
          let runs = positiveOption(options, "runs", default: 5) else {
        printError("felt bench engine: --hands, --passes and --runs take positive integers\n\n\(benchEngineUsage)")
        return 2
    }
    #if DEBUG
    print("warning: debug build; measure with `swift build -c release && .build/release/felt bench engine`")
    #endif
    print("felt bench engine \(arguments.joined(separator: " "))".trimmingCharacters(in: .whitespaces))

    benchTableBuild()
    benchRandomEvaluations(hands: hands, passes: passes, runs: runs)
    benchOtherEntryPoints(runs: runs)
    benchShuffles(runs: runs)
    var status: Int32 = 0
    if !options.flags.contains("skip-enumeration") && !benchEnumeration() { status = 1 }

    // Complete random no-limit hands per second (deal, random legal actions, showdown,
    // settle; target ≥ 250,000 on one core).
    let handsStatus = benchRandomHands(arguments: arguments)
    return status != 0 ? status : handsStatus
})

let benchEngineUsage = """
USAGE: felt bench engine [--hands N] [--passes P] [--runs R] [--skip-enumeration]
                         [--engine-hands N] [--players 2…10] [--seed S]

  --hands N            random 7-card hands generated up front (default 4194304)
  --passes P           passes over them per timed run (default 10)
  --runs R             timed runs; the median is reported (default 5)
  --skip-enumeration   skip the full 133,784,560-hand enumeration
  --engine-hands N     complete random no-limit hands to play (default 1000000)
  --players N          seats in those hands (default 6)
  --seed S             seed of their decisions and shuffles (default 1)
"""

private func positiveOption(_ options: ParsedOptions, _ name: String, default value: Int) -> Int? {
    guard let text = options.values[name] else { return value }
    guard let number = Int(text), number > 0 else { return nil }
    return number
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
}

/// CPU time of the calling thread: unlike wall time, it does not count the time the
/// benchmark thread waits for a core on a busy machine.
private func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

private func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2]
        : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

private func grouped(_ number: Int) -> String {
    let digits = Array(String(number))
    var out = ""
    for (i, digit) in digits.enumerated() {
        if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
        out.append(digit)
    }
    return out
}

/// Time of the first (lazy) table build, then the median of fresh rebuilds.
private func benchTableBuild() {
    let clock = ContinuousClock()
    let start = clock.now
    HandEvaluator.prepareTables()
    let first = seconds(clock.now - start)
    let rebuilds = (0..<5).map { _ in seconds(HandEvaluator.measureTableBuild()) }
    print(String(format: "evaluator tables (~170 KB): first build %.2f ms, rebuild median %.2f ms",
                 first * 1e3, median(rebuilds) * 1e3))
}

/// Random 7-card evaluations per second on one core: hands are generated into an array of
/// card masks first; only the `HandEvaluator.evaluate7(mask:)` loop is timed.
private func benchRandomEvaluations(hands: Int, passes: Int, runs: Int) {
    var source = SeededCardRandom(seed: 2_026)
    var masks = [UInt64](repeating: 0, count: hands)
    for i in 0..<hands {
        var mask: UInt64 = 0
        while mask.nonzeroBitCount < 7 { mask |= 1 << UInt64(source.uniform(below: 52)) }
        masks[i] = mask
    }
    let clock = ContinuousClock()
    var rates: [Double] = [], cpuRates: [Double] = []
    var checksum = 0
    for _ in 0..<runs {
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        masks.withUnsafeBufferPointer { buffer in
            for _ in 0..<passes {
                for mask in buffer { checksum &+= Int(HandEvaluator.evaluate7(mask: mask).value) }
            }
        }
        cpuRates.append(Double(hands * passes) / (threadCPUSeconds() - cpuStart))
        rates.append(Double(hands * passes) / seconds(clock.now - start))
    }
    print(String(format: "random 7-card evaluations, one core: median %.1f M/s wall (min %.1f, max %.1f), %.1f M/s per CPU-second; %d runs of %@ hands; checksum %d",
                 median(rates) / 1e6, (rates.min() ?? 0) / 1e6, (rates.max() ?? 0) / 1e6,
                 median(cpuRates) / 1e6, runs, grouped(hands * passes), checksum))
}

/// The allocation-bound `[Card]` entry point and Omaha (60 five-card lookups per hand).
private func benchOtherEntryPoints(runs: Int) {
    var source = SeededCardRandom(seed: 77)
    let count = 1 << 18
    let hands: [[Card]] = (0..<count).map { _ in Array(Deck.shuffled(using: &source).prefix(9)) }
    let clock = ContinuousClock()
    var arrayRates: [Double] = [], omahaRates: [Double] = []
    var checksum = 0
    for _ in 0..<runs {
        var start = clock.now
        for hand in hands { checksum &+= Int(HandEvaluator.evaluate(Array(hand.prefix(7))).value) }
        arrayRates.append(Double(count) / seconds(clock.now - start))
        start = clock.now
        for hand in hands {
            checksum &+= Int(HandEvaluator.evaluateOmaha(hole: Array(hand.prefix(4)), board: Array(hand.suffix(5))).value)
        }
        omahaRates.append(Double(count) / seconds(clock.now - start))
    }
    print(String(format: "evaluate([Card]) with 7 cards (array built per call): median %.1f M/s", median(arrayRates) / 1e6))
    print(String(format: "evaluateOmaha, 4 hole + 5 board (60 combinations): median %.2f M/s (checksum %d)",
                 median(omahaRates) / 1e6, checksum))
}

/// Fisher–Yates shuffles per second: the shared locked CSPRNG (`Deck.shuffled()`), an owned
/// `SecureCardRandom`, and the seeded test/replay source.
private func benchShuffles(runs: Int) {
    let count = 200_000
    let clock = ContinuousClock()
    var shared: [Double] = [], owned: [Double] = [], seeded: [Double] = []
    var checksum = 0
    var secure = SecureCardRandom()
    var replay = SeededCardRandom(seed: 1)
    for _ in 0..<runs {
        var start = clock.now
        for _ in 0..<count { checksum &+= Int(Deck.shuffled()[0].index) }
        shared.append(Double(count) / seconds(clock.now - start))
        start = clock.now
        for _ in 0..<count { checksum &+= Int(Deck.shuffled(using: &secure)[0].index) }
        owned.append(Double(count) / seconds(clock.now - start))
        start = clock.now
        for _ in 0..<count { checksum &+= Int(Deck.shuffled(using: &replay)[0].index) }
        seeded.append(Double(count) / seconds(clock.now - start))
    }
    print(String(format: "shuffles: Deck.shuffled() %.2f M/s, owned SecureCardRandom %.2f M/s, seeded %.2f M/s (checksum %d)",
                 median(shared) / 1e6, median(owned) / 1e6, median(seeded) / 1e6, checksum))
}

/// Evaluates all 133,784,560 seven-card hands; prints time, category counts and class
/// counts; returns whether the counts match the published totals.
private func benchEnumeration() -> Bool {
    var byValue = [Int](repeating: 0, count: 7_463)
    let clock = ContinuousClock()
    let start = clock.now
    let cpuStart = threadCPUSeconds()
    byValue.withUnsafeMutableBufferPointer { counts in
        for a in 0..<46 { let ma = UInt64(1) << UInt64(a)
        for b in (a + 1)..<47 { let mb = ma | UInt64(1) << UInt64(b)
        for c in (b + 1)..<48 { let mc = mb | UInt64(1) << UInt64(c)
        for d in (c + 1)..<49 { let md = mc | UInt64(1) << UInt64(d)
        for e in (d + 1)..<50 { let me = md | UInt64(1) << UInt64(e)
        for f in (e + 1)..<51 { let mf = me | UInt64(1) << UInt64(f)
        for g in (f + 1)..<52 {
            counts[Int(HandEvaluator.evaluate7(mask: mf | UInt64(1) << UInt64(g)).value)] += 1
        } } } } } } }
    }
    let cpu = threadCPUSeconds() - cpuStart
    let elapsed = seconds(clock.now - start)
    let total = byValue.reduce(0, +)
    print(String(format: "full 7-card enumeration: %@ hands in %.2f s wall, %.2f s CPU (%.1f M/s)",
                 grouped(total), elapsed, cpu, Double(total) / elapsed / 1e6))
    let expected: [HandCategory: Int] = [
        .straightFlush: 41_584, .fourOfAKind: 224_848, .fullHouse: 3_473_184, .flush: 4_047_644,
        .straight: 6_180_020, .threeOfAKind: 6_461_620, .twoPair: 31_433_400, .onePair: 58_627_800,
        .highCard: 23_294_460,
    ]
    var categories = [HandCategory: Int]()
    for value in 1...7_462 { categories[HandStrength(value: UInt16(value)).category, default: 0] += byValue[value] }
    var ok = total == 133_784_560 && byValue[0] == 0
    for category in HandCategory.allCases.reversed() {
        let count = categories[category] ?? 0
        let match = count == expected[category]
        ok = ok && match
        let name = "\(category)".padding(toLength: 14, withPad: " ", startingAt: 0)
        print("  \(name) \(grouped(count).leftPadded(12))  \(match ? "ok" : "MISMATCH (expected \(grouped(expected[category] ?? 0)))")")
    }
    let classes = byValue.dropFirst().filter { $0 > 0 }.count
    print("  distinct classes among seven-card hands: \(grouped(classes)) (of the 7,462 five-card classes; 4,824 expected)")
    ok = ok && classes == 4_824
    print(ok ? "enumeration: all counts match" : "enumeration: MISMATCH")
    return ok
}

private extension String {
    func leftPadded(_ width: Int) -> String {
        count >= width ? self : String(repeating: " ", count: width - count) + self
    }
}

/// Hidden test mode. Each input line is either 5–7 card names (hold'em: `Ah Kd 7c 7s 2h 9d Tc`)
/// or `omaha H H H H | B B B B B` (hole cards, then 3–5 board cards); each output line is the
/// strength `1…7462` (higher wins), or `error: reason` for a bad line, in which case the exit
/// status is 1 after all lines were answered.
private func evaluateStdin() -> Int32 {
    var output = ""
    var failed = false
    while let line = readLine() {
        switch evaluateLine(line) {
        case .success(let strength): output += "\(strength.value)\n"
        case .failure(let error):
            output += "error: \(error.reason)\n"
            failed = true
        }
        if output.utf8.count > 1 << 16 {
            print(output, terminator: "")
            output = ""
        }
    }
    print(output, terminator: "")
    return failed ? 1 : 0
}

private struct EvaluateLineError: Error {
    let reason: String
}

private func parseCards(_ words: some Sequence<Substring>) -> Result<[Card], EvaluateLineError> {
    var cards: [Card] = []
    for word in words {
        guard let card = Card(word) else { return .failure(EvaluateLineError(reason: "not a card: '\(word)'")) }
        guard !cards.contains(card) else { return .failure(EvaluateLineError(reason: "duplicate card \(card)")) }
        cards.append(card)
    }
    return .success(cards)
}

private func evaluateLine(_ line: String) -> Result<HandStrength, EvaluateLineError> {
    let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
    if words.first == "omaha" {
        let parts = words.dropFirst().split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return .failure(EvaluateLineError(reason: "omaha line needs 'hole | board'")) }
        return parseCards(parts[0] + parts[1]).flatMap { all in
            let hole = Array(all.prefix(parts[0].count)), board = Array(all.dropFirst(parts[0].count))
            guard (2...4).contains(hole.count), (3...5).contains(board.count) else {
                return .failure(EvaluateLineError(reason: "omaha takes 2–4 hole and 3–5 board cards"))
            }
            return .success(HandEvaluator.evaluateOmaha(hole: hole, board: board))
        }
    }
    return parseCards(words).flatMap { cards in
        guard (5...7).contains(cards.count) else {
            return .failure(EvaluateLineError(reason: "a hand has 5 to 7 cards, got \(cards.count)"))
        }
        return .success(HandEvaluator.evaluate(cards))
    }
}
