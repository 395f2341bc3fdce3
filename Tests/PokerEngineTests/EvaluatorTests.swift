import Testing
@testable import PokerEngine

/// Parses space-separated card names (test helper).
func cards(_ text: String) -> [Card] {
    text.split(separator: " ").map { name in
        guard let card = Card(name) else { fatalError("bad card \(name) in test") }
        return card
    }
}

/// `count` distinct random cards drawn with `source`.
func randomCards(_ count: Int, _ source: inout SeededCardRandom) -> [Card] {
    var mask: UInt64 = 0
    var result: [Card] = []
    while result.count < count {
        let index = source.uniform(below: 52)
        guard mask & (1 << UInt64(index)) == 0, let card = Card(index: index) else { continue }
        mask |= 1 << UInt64(index)
        result.append(card)
    }
    return result
}

@Suite struct EvaluatorTests {
    /// Every five-card hand through the fast path (ReferenceRankerTests compares each one
    /// with the reference ranker).
    @Test func everyFiveCardHandGivesExactCategoryCountsAndAll7462Classes() {
        var counts = [Int](repeating: 0, count: HandCategory.allCases.count)
        var seen = [Bool](repeating: false, count: 7_463)
        for a in 0..<52 { for b in (a + 1)..<52 { for c in (b + 1)..<52 { for d in (c + 1)..<52 { for e in (d + 1)..<52 {
            let mask = UInt64(1) << UInt64(a) | UInt64(1) << UInt64(b) | UInt64(1) << UInt64(c)
                | UInt64(1) << UInt64(d) | UInt64(1) << UInt64(e)
            let strength = HandEvaluator.evaluate(mask: mask)
            counts[strength.category.rawValue] += 1
            seen[Int(strength.value)] = true
        } } } } }
        #expect(counts == [1_302_540, 1_098_240, 123_552, 54_912, 10_200, 5_108, 3_744, 624, 40])
        #expect(seen.dropFirst().allSatisfy { $0 } && !seen[0])
    }

    @Test func randomSevenCardHandsMatchReferenceBestOfTwentyOne() {
        var source = SeededCardRandom(seed: 7)
        var mismatches: [String] = []
        for _ in 0..<30_000 {
            let hand = randomCards(7, &source)
            let fast = HandEvaluator.evaluate(hand)
            if fast != ReferenceRanker.best(hand) || HandEvaluator.evaluate7(mask: Card.mask(of: hand)) != fast {
                mismatches.append(hand.map(\.description).joined(separator: " "))
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func randomSevenCardFlushHandsMatchReference() {
        // Flushes are 3 % of random hands; force five to seven cards of one suit.
        var source = SeededCardRandom(seed: 11)
        var mismatches = 0
        for round in 0..<3_000 {
            let suited = 5 + round % 3
            let suit = UInt8(source.uniform(below: 4))
            var hand: [Card] = []
            var mask: UInt64 = 0
            while hand.count < 7 {
                let rank = 2 + source.uniform(below: 13)
                let cardSuit = hand.count < suited ? suit : UInt8(source.uniform(below: 4))
                let card = Card(rank: rank, suit: Suit(rawValue: cardSuit) ?? .clubs)
                if mask & card.bit != 0 { continue }
                mask |= card.bit
                hand.append(card)
            }
            let fast = HandEvaluator.evaluate(hand)
            if fast != ReferenceRanker.best(hand) { mismatches += 1 }
            if fast.category < .flush { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func randomSixCardHandsMatchReference() {
        var source = SeededCardRandom(seed: 6)
        var mismatches = 0
        for _ in 0..<10_000 {
            let hand = randomCards(6, &source)
            if HandEvaluator.evaluate(hand) != ReferenceRanker.best(hand) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    /// Exact category counts over all 133,784,560 seven-card hands, counted through the
    /// tables combinatorially (every rank multiset weighted by its non-flush suit
    /// assignments, every flush rank set by its ways to add off-suit cards) so it runs in a
    /// debug build; the literal enumeration runs in `felt bench engine`.
    @Test func sevenCardCategoryCountsMatchPublishedTotals() {
        let tables = EvaluatorTables.shared
        let binomial = Binomial()
        var byValue = [Int](repeating: 0, count: 7_463)
        // Flush hands: p ≥ 5 cards of one suit with rank set m, 7 − p cards off that suit.
        for mask in 0..<8_192 where (5...7).contains(mask.nonzeroBitCount) {
            let off = 7 - mask.nonzeroBitCount
            byValue[Int(tables.flush[mask])] += 4 * binomialLarge(39, off)
        }
        // Non-flush hands: for each rank multiset, suit assignments without five of a suit.
        var counts = [Int](repeating: 0, count: 13)
        func visit(_ rank: Int, _ remaining: Int) {
            if rank == 13 {
                guard remaining == 0 else { return }
                var all = 1
                for c in counts { all *= binomial[4, c] }
                // Assignments where one particular suit holds ≥ 5 cards: choose the ranks
                // S (|S| ≥ 5) carrying that suit; each rank r in S places its other c−1
                // cards among 3 suits, each rank outside S its c cards among 3 suits.
                let present = (0..<13).filter { counts[$0] > 0 }
                var flushy = 0
                for subset in 0..<(1 << present.count) where subset.nonzeroBitCount >= 5 {
                    var ways = 1
                    for (i, r) in present.enumerated() {
                        let c = counts[r]
                        ways *= subset & (1 << i) != 0 ? binomial[3, c - 1] : (c <= 3 ? binomial[3, c] : 0)
                    }
                    flushy += ways
                }
                let index = EvaluatorTables.offset7 + EvaluatorTables.colexRank(counts, binomial)
                byValue[Int(tables.rankPatterns[index])] += all - 4 * flushy
                return
            }
            for c in 0...min(4, remaining) {
                counts[rank] = c
                visit(rank + 1, remaining - c)
            }
            counts[rank] = 0
        }
        visit(0, 7)
        var categories = [Int](repeating: 0, count: HandCategory.allCases.count)
        for value in 1...7_462 { categories[HandStrength(value: UInt16(value)).category.rawValue] += byValue[value] }
        #expect(byValue[0] == 0)
        #expect(categories.reduce(0, +) == 133_784_560)
        #expect(categories == [23_294_460, 58_627_800, 31_433_400, 6_461_620, 6_180_020,
                               4_047_644, 3_473_184, 224_848, 41_584])
        #expect(byValue.filter { $0 > 0 }.count == 4_824)
    }

    @Test func classNumberingFindsExactly7462Classes() {
        #expect(HandClassNumbering().classCount == 7_462)
    }

    @Test func wheelIsLowestStraightAndStraightsDoNotWrapAround() {
        let wheel = HandEvaluator.evaluate(cards("Ah 2c 3d 4s 5h"))
        let sixHigh = HandEvaluator.evaluate(cards("2c 3d 4s 5h 6d"))
        let broadway = HandEvaluator.evaluate(cards("Tc Jd Qs Kh Ad"))
        let wrap = HandEvaluator.evaluate(cards("Qc Kd As 2h 3d"))
        let steelWheel = HandEvaluator.evaluate(cards("Ah 2h 3h 4h 5h 9c Kd"))
        let royal = HandEvaluator.evaluate(cards("Th Jh Qh Kh Ah"))
        #expect(wheel.category == .straight && wheel < sixHigh && sixHigh < broadway)
        #expect(wrap.category == .highCard)
        #expect(steelWheel.category == .straightFlush && steelWheel.value == 7_453)
        #expect(royal.value == 7_462)
        #expect(wheel.value == 5_854)
    }

    @Test func onlyTheBestFiveCardsCount() {
        // Sixth and seventh cards below the five best never matter.
        let a = HandEvaluator.evaluate(cards("Ah Kd Qs Jc 9h 3d 2c"))
        let b = HandEvaluator.evaluate(cards("Ah Kd Qs Jc 9h 4d 3c"))
        #expect(a == b && a.category == .highCard)
        // Three pairs: the best two pairs with the best remaining kicker (a pair card).
        let threePairs = HandEvaluator.evaluate(cards("Kh Kd 7s 7c 5h 5d Qc"))
        #expect(threePairs == HandEvaluator.evaluate(cards("Kh Kd 7s 7c Qc")))
        let threePairsLowKicker = HandEvaluator.evaluate(cards("Kh Kd 7s 7c 5h 5d 2c"))
        #expect(threePairsLowKicker == HandEvaluator.evaluate(cards("Kh Kd 7s 7c 5h")))
        // Two trips make the best full house; quads take the best kicker.
        #expect(HandEvaluator.evaluate(cards("9h 9d 9s 4c 4h 4d Ac")) == HandEvaluator.evaluate(cards("9h 9d 9s 4c 4h")))
        #expect(HandEvaluator.evaluate(cards("8h 8d 8s 8c Kh Kd Kc")) == HandEvaluator.evaluate(cards("8h 8d 8s 8c Kh")))
        // Six suited cards: the top five make the flush.
        #expect(HandEvaluator.evaluate(cards("Ah Jh 9h 7h 4h 2h Ks")) == HandEvaluator.evaluate(cards("Ah Jh 9h 7h 4h")))
        // A straight flush beats a higher plain straight in the same seven.
        #expect(HandEvaluator.evaluate(cards("5d 6d 7d 8d 9d Tc Jc")).category == .straightFlush)
    }

    @Test func suitsNeverBreakTies() {
        #expect(HandEvaluator.evaluate(cards("Ah Kh Qd Jc 9s 3d 2c")) == HandEvaluator.evaluate(cards("Ad Ks Qc Jh 9c 3s 2h")))
        #expect(HandEvaluator.evaluate(cards("Ah Jh 9h 7h 4h")) == HandEvaluator.evaluate(cards("As Js 9s 7s 4s")))
    }

    @Test func omahaUsesExactlyTwoHoleCardsAndThreeBoardCards() {
        // Four hearts on board and one in hand: no flush in Omaha.
        let noFlush = HandEvaluator.evaluateOmaha(hole: cards("Ah Kc Qd 2s"), board: cards("3h 7h 9h Jh 4c"))
        #expect(noFlush.category < .flush)
        // Quads on board: only three board cards may play, so at best a full house here.
        let boardQuads = HandEvaluator.evaluateOmaha(hole: cards("Kc Kd 2s 3s"), board: cards("9h 9d 9s 9c 4c"))
        #expect(boardQuads == HandEvaluator.evaluate(cards("Kc Kd 9h 9d 9s")))
        // A straight needs two hole cards: one connector in hand is not enough.
        let oneCard = HandEvaluator.evaluateOmaha(hole: cards("8c 2d 2s Ac"), board: cards("4h 5d 6s 7c Kh"))
        #expect(oneCard.category == .onePair)
    }

    @Test func omahaMatchesReferenceOverAllSixtyCombinations() {
        var source = SeededCardRandom(seed: 4)
        var mismatches = 0
        for round in 0..<2_000 {
            let dealt = randomCards(4 + 3 + round % 3, &source)
            let hole = Array(dealt.prefix(4)), board = Array(dealt.dropFirst(4))
            var best = HandStrength(value: 0)
            for a in 0..<4 { for b in (a + 1)..<4 {
                for x in 0..<board.count { for y in (x + 1)..<board.count { for z in (y + 1)..<board.count {
                    best = max(best, ReferenceRanker.rank([hole[a], hole[b], board[x], board[y], board[z]]))
                } } }
            } }
            if HandEvaluator.evaluateOmaha(hole: hole, board: board) != best { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func cardMaskEntryPointsAgreeWithArrays() {
        var source = SeededCardRandom(seed: 99)
        for count in 5...7 {
            for _ in 0..<500 {
                let hand = randomCards(count, &source)
                let strength = HandEvaluator.evaluate(hand)
                #expect(HandEvaluator.evaluate(mask: Card.mask(of: hand)) == strength)
                #expect(HandEvaluator.evaluate(hole: Array(hand.prefix(2)), board: Array(hand.dropFirst(2))) == strength)
            }
        }
        #expect(Card("Ah")?.bit == 1 << 50 && Card("2c")?.bit == 1)
    }

    @Test func uncheckedSevenCardEntryStaysInRangeForAnyMask() {
        // evaluate7(mask:) skips validation; any mask must still give a value from the
        // tables (0…7462), never a read outside them.
        var source = SeededCardRandom(seed: 123)
        var masks: [UInt64] = [0, .max, 1, 1 << 63, 0xF_FFFF_FFFF_FFFF, 0xFFF0_0000_0000_0000]
        for _ in 0..<10_000 { masks.append(source.next()) }
        #expect(masks.allSatisfy { HandEvaluator.evaluate7(mask: $0).value <= 7_462 })
    }
}

/// C(n, k) for the small counts used above.
func binomialLarge(_ n: Int, _ k: Int) -> Int {
    var result = 1
    for i in 0..<k { result = result * (n - i) / (i + 1) }
    return result
}
