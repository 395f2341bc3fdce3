import Foundation
import Testing
import FeltTestSupport
@testable import PokerEngine

/// Felt's `HandEvaluator` against phevaluator (`Tests/python/oracle_phevaluator.py`): the
/// strength class of every random hand must be phevaluator's rank mirrored (7463 − rank),
/// which pins down the ordering of all hands, ties included.
@Suite struct OraclePHEvaluatorTests {
    @Test func evaluatorMatchesPHEvaluatorOnRandomHoldemAndOmahaHands() async throws {
        var rng = SplitMix64(seed: 0xE7A1)
        var lines: [String] = []
        var deck = Card.fullDeck
        func text(_ cards: ArraySlice<Card>) -> String { cards.map(\.description).joined() }
        for i in 0..<24_000 {
            deck.shuffle(using: &rng)
            let count = i < 16_000 ? 7 : (i < 20_000 ? 6 : 5)
            let hand = deck.prefix(count)
            lines.append("h \(text(hand)) \(HandEvaluator.evaluate(Array(hand)).value)")
        }
        for _ in 0..<4_000 {
            deck.shuffle(using: &rng)
            let board = deck[0..<5], hole = deck[5..<9]
            let strength = HandEvaluator.evaluateOmaha(hole: Array(hole), board: Array(board))
            lines.append("o \(text(board)) \(text(hole)) \(strength.value)")
        }
        // A few hands that pin the edges: royal flush, the wheel, the worst high card.
        for (cards, expected) in [("As Ks Qs Js Ts", 7462), ("Ah 2c 3d 4s 5h", 5854), ("7c 5d 4h 3s 2c", 1)] {
            let hand = parseCards(cards)
            #expect(HandEvaluator.evaluate(hand).value == UInt16(expected), "\(cards)")
            lines.append("h \(cards.filter { $0 != " " }) \(HandEvaluator.evaluate(hand).value)")
        }
        let result = try await runProcess("python3", [TestEnvironment.pythonTests.appendingPathComponent("oracle_phevaluator.py").path],
                                    input: lines.joined(separator: "\n") + "\n", timeout: 300)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.hasPrefix("phevaluator: \(lines.count) hands, 0 mismatches"), "\(result.stdout)")
    }
}
