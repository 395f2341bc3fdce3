import Foundation
import Testing
@testable import PokerEngine

/// Chi-square goodness of fit of the card × position table over many shuffles.
///
/// Each of the 52 × 52 cells expects `shuffles / 52` hits; with both margins fixed the
/// statistic has (52 − 1)² = 2,601 degrees of freedom. The 99 % critical value comes from
/// the Wilson–Hilferty approximation (accurate to well under 0.1 % at this size).
struct CardPositionChiSquare {
    static let shuffles = 100_000
    static let degreesOfFreedom = 51.0 * 51.0

    /// Critical value of the chi-square distribution at the 99th percentile.
    static var critical99: Double {
        let k = degreesOfFreedom, z = 2.326_347_874  // standard normal 99th percentile
        let term = 2.0 / (9.0 * k)
        return k * pow(1.0 - term + z * term.squareRoot(), 3)
    }

    /// The statistic for `shuffles` decks produced by `deal`.
    static func statistic(_ deal: () -> [Card]) -> Double {
        var counts = [Int](repeating: 0, count: 52 * 52)
        for _ in 0..<shuffles {
            let deck = deal()
            for position in 0..<52 { counts[position * 52 + Int(deck[position].index)] += 1 }
        }
        let expected = Double(shuffles) / 52.0
        return counts.reduce(0.0) { sum, observed in
            let d = Double(observed) - expected
            return sum + d * d / expected
        }
    }
}

@Suite struct DeckStatisticsTests {
    @Test func fisherYatesPassesCardPositionChiSquareAt99Percent() {
        var source = SeededCardRandom(seed: 20_260_101)
        let chi = CardPositionChiSquare.statistic { Deck.shuffled(using: &source) }
        #expect(chi < CardPositionChiSquare.critical99, "chi-square \(chi) ≥ \(CardPositionChiSquare.critical99)")
    }

    @Test func secureDealsPassCardPositionChiSquareAt99Percent() {
        // Real CSPRNG output is not reproducible, so a fair shuffle still exceeds the 99 %
        // value in 1 % of batches; a second, independent batch decides (a fair shuffle then
        // fails this test with probability 0.01², a biased one fails both by far).
        let first = CardPositionChiSquare.statistic { Deck.shuffled() }
        if first < CardPositionChiSquare.critical99 { return }
        let second = CardPositionChiSquare.statistic { Deck.shuffled() }
        #expect(second < CardPositionChiSquare.critical99,
                "chi-square \(first) then \(second) ≥ \(CardPositionChiSquare.critical99)")
    }

    @Test func naiveSwapWithAnyShuffleFailsTheSameTest() {
        var source = SeededCardRandom(seed: 20_260_101)
        let chi = CardPositionChiSquare.statistic {
            var cards = Card.fullDeck
            for i in 0..<52 { cards.swapAt(i, source.uniform(below: 52)) }
            return cards
        }
        #expect(chi > CardPositionChiSquare.critical99)
    }

    @Test func moduloScaledFisherYatesFailsTheSameTest() {
        var source = SeededCardRandom(seed: 20_260_101)
        let chi = CardPositionChiSquare.statistic {
            var cards = Card.fullDeck
            for i in stride(from: 51, through: 1, by: -1) {
                cards.swapAt(i, Int(UInt8(truncatingIfNeeded: source.next())) % (i + 1))
            }
            return cards
        }
        #expect(chi > CardPositionChiSquare.critical99)
    }

    @Test func criticalValueIsInTheRightPlace() {
        // Mean 2,601 and standard deviation √(2·2,601) ≈ 72: the 99th percentile sits
        // about 2.33 standard deviations above the mean.
        let c = CardPositionChiSquare.critical99
        #expect(c > 2_601 + 2.2 * 72.1 && c < 2_601 + 2.5 * 72.1)
    }
}
