import FeltTestSupport
import Testing
@testable import PokerEngine

@Suite struct HandChipConservationTests {
    @Test func rule15ChipsAreConservedOverManyRandomHands() throws {
        var rng = SplitMix64(seed: 42)
        var hands = 0
        for variantIndex in 0..<3 {
            let variant = GameVariant.allCases[variantIndex]
            for _ in 0..<700 {
                let players = 2 + Int(rng.next() % 8)
                var stacks: [Int] = []
                for _ in 0..<players {
                    let r = rng.next() % 10
                    stacks.append(r < 2 ? 1 + Int(rng.next() % 6) : 20 + Int(rng.next() % 400))
                }
                let anteRoll = rng.next() % 3
                let ante: Ante = anteRoll == 0 ? .none : (anteRoll == 1 ? .perPlayer(1) : .bigBlind(2))
                let rake = rng.next() % 2 == 0 ? RakeRule.none : RakeRule(basisPoints: 500, capPerHand: 7)
                let rules = GameRules(variant: variant, smallBlind: 1, bigBlind: 2, ante: ante, raiseCap: 4, rake: rake)
                var d = Card.fullDeck
                d.shuffle(using: &rng)
                var state = try HandState(rules: rules, seats: seats(stacks), button: Int(rng.next() % UInt64(players)), deck: d)
                var steps = 0
                while let legal = state.legalActions() {
                    let action = legal.randomAction(using: &rng)
                    try state.apply(action, by: legal.seat)
                    #expect(state.stacks.allSatisfy { $0 >= 0 })
                    let inMiddle = state.isFinished ? state.rake : state.totalPot
                    #expect(state.stacks.reduce(0, +) + inMiddle == stacks.reduce(0, +))
                    steps += 1
                    if steps > 500 { Issue.record("hand did not end"); break }
                }
                #expect(state.isFinished)
                let record = try #require(state.record)
                #expect(record.finalStacks.reduce(0, +) + record.rake == stacks.reduce(0, +))
                #expect(record.finalStacks.allSatisfy { $0 >= 0 })
                #expect(record.pots.reduce(0) { $0 + $1.winners.reduce(0) { $0 + $1.amount } + $1.rake }
                        == record.pots.reduce(0) { $0 + $1.amount })
                hands += 1
            }
        }
        #expect(hands == 2100)
    }
}
