import Foundation
import Testing
import FeltTestSupport
@testable import PokerEngine

/// Felt's engine against PokerKit 0.7.7 (`Tests/python/oracle_pokerkit.py`, which lists every
/// place PokerKit's rules depart from Felt's and how the oracle configures around it).
@Suite struct OraclePokerKitTests {
    struct Summary: Decodable {
        var hands: Int
        var disagreements: Int
        var decisions: Int
        var pots: Int
        var showdowns: Int
        var side_pot_hands: Int
        var split_hands: Int
        var raked_hands: Int
        var phh_hands: Int
        var dead_small_blind_hands: Int
        var players: [Int]
        var variants: [String: Int]
        var actions: [String: Int]
    }

    /// Runs the oracle; returns its summary and full output.
    func runOracle(hands: Int, seed: Int, phhs: URL? = nil) async throws -> (Summary?, ProcessResult) {
        var arguments = [TestEnvironment.pythonTests.appendingPathComponent("oracle_pokerkit.py").path,
                         "--felt", TestEnvironment.feltExecutable.path,
                         "--hands", String(hands), "--seed", String(seed)]
        if let phhs { arguments += ["--phhs", phhs.path] }
        let result = try await runProcess("python3", arguments, timeout: 600)
        let line = result.stdout.split(separator: "\n").first { $0.hasPrefix("oracle: ") }
        guard let line, let range = line.range(of: "stats ") else { return (nil, result) }
        let summary = try JSONDecoder().decode(Summary.self, from: Data(line[range.upperBound...].utf8))
        return (summary, result)
    }

    @Test func feltAgreesWithPokerKitOnTwoThousandRandomHands() async throws {
        let (summary, result) = try await runOracle(hands: 2000, seed: 20_261_129)
        let s = try #require(summary, "oracle did not run: \(result.stderr)\(result.stdout)")
        // Every disagreement (actor, legal actions, stacks, bets, pots, winners) is printed
        // with the seed and hand number that reproduce it.
        #expect(result.status == 0 && s.disagreements == 0, "\(result.stdout)\(result.stderr)")
        #expect(s.hands == 2000)
        // The hands really cover what the oracle is meant to cover.
        #expect(s.players == Array(2...9))
        #expect(["nlhe", "flhe", "plo"].allSatisfy { (s.variants[$0] ?? 0) > 500 })
        #expect(s.decisions > 20_000)
        #expect(["fold", "check", "call", "raise", "all_in"].allSatisfy { (s.actions[$0] ?? 0) > 200 })
        #expect(s.showdowns > 1000 && s.side_pot_hands > 500 && s.split_hands > 50 && s.raked_hands > 300)
        #expect(s.dead_small_blind_hands > 100)
    }

    @Test func handHistoriesTravelBetweenPokerKitAndFeltBothWays() async throws {
        let phhs = FileManager.default.temporaryDirectory
            .appendingPathComponent("felt-oracle-\(ProcessInfo.processInfo.processIdentifier).phhs")
        defer { try? FileManager.default.removeItem(at: phhs) }
        let (summary, result) = try await runOracle(hands: 300, seed: 7, phhs: phhs)
        let s = try #require(summary, "oracle did not run: \(result.stderr)\(result.stdout)")
        #expect(s.phh_hands > 100)
        // PokerKit's own .phhs (written by HandHistory.dump_all) through `felt replay`.
        let replay = try await runProcess(TestEnvironment.feltExecutable.path, ["replay", phhs.path], timeout: 120)
        #expect(replay.status == 0, "\(replay.stderr)")
        let hands = try PHHFile.parse(String(contentsOf: phhs, encoding: .utf8))
        #expect(hands.count == s.phh_hands)
        let expected = hands.map { "hand \($0.name): finishing_stacks = [\(($0.hand.finishingStacks ?? []).map(String.init).joined(separator: ", "))]" }
        #expect(replay.stdout.split(separator: "\n").map(String.init) == expected)

        // And back: Felt's own export of the replayed hands, read and played by PokerKit.
        var exported: [PHHHand] = []
        for named in hands {
            let record = try #require(try PHHReplay.replay(named.hand).state.record, "hand \(named.name)")
            exported.append(PHHHand(record: record, hand: named.hand.hand))
        }
        let feltFile = phhs.deletingPathExtension().appendingPathExtension("felt.phhs")
        defer { try? FileManager.default.removeItem(at: feltFile) }
        try PHHFile.multiHandText(exported).write(to: feltFile, atomically: true, encoding: .utf8)
        let back = try await runProcess("python3", [TestEnvironment.pythonTests.appendingPathComponent("phh_pokerkit_replay.py").path,
                                              feltFile.path], timeout: 300)
        #expect(back.status == 0, "\(back.stdout)\(back.stderr)")
        #expect(back.stdout.split(separator: "\n").map(String.init) == expected)
    }
}
