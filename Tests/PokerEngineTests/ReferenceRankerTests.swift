import Testing
@testable import PokerEngine

@Suite struct ReferenceRankerTests {
    /// All 2,598,960 five-card hands: the reference's category and class counts match the
    /// combinatorics, and the fast evaluator gives the same strength for every single hand.
    @Test func fiveCardCountsMatchCombinatoricsAndFastEvaluatorAgreesOnEveryHand() {
        var counts = [HandCategory: Int]()
        var classes = Set<UInt16>()
        var disagreements = 0
        let deck = Card.fullDeck
        ReferenceRanker.forEachFive(of: Array(deck)) { five in
            let s = ReferenceRanker.rank(five)
            counts[s.category, default: 0] += 1
            classes.insert(s.value)
            if HandEvaluator.evaluate(mask: Card.mask(of: five)) != s { disagreements += 1 }
        }
        #expect(disagreements == 0)
        #expect(counts[.straightFlush] == 40)
        #expect(counts[.fourOfAKind] == 624)
        #expect(counts[.fullHouse] == 3744)
        #expect(counts[.flush] == 5108)
        #expect(counts[.straight] == 10200)
        #expect(counts[.threeOfAKind] == 54912)
        #expect(counts[.twoPair] == 123552)
        #expect(counts[.onePair] == 1098240)
        #expect(counts[.highCard] == 1302540)
        #expect(classes.count == 7462)
        #expect(classes.min() == 1 && classes.max() == 7462)
    }

    @Test func wheelIsLowestStraightAndCardsParse() {
        let wheel = HandEvaluator.evaluate(["Ah", "2c", "3d", "4s", "5h", "Kd", "Kc"].compactMap(Card.init))
        let sixHigh = HandEvaluator.evaluate(["6h", "2c", "3d", "4s", "5h", "Kd", "Kc"].compactMap(Card.init))
        #expect(wheel.category == .straight && sixHigh.category == .straight)
        #expect(wheel < sixHigh)
        #expect(Card("Ah")?.description == "Ah" && Card("1h") == nil)
    }
}
