import FeltTestSupport
import Testing
@testable import PokerEngine

/// Property test: at every decision of many random hands, everything the legal-action envelope
/// allows is accepted and the nearest things it forbids are rejected.
@Suite struct HandLegalEnvelopeTests {
    @Test func legalEnvelopeMatchesWhatApplyAcceptsInRandomHands() throws {
        var rng = SplitMix64(seed: 99)
        var decisions = 0
        for hand in 0..<600 {
            let variant = GameVariant.allCases[hand % 3]
            let players = 2 + Int(rng.next() % 8)
            let stacks = (0..<players).map { _ in rng.next() % 4 == 0 ? 1 + Int(rng.next() % 8) : 10 + Int(rng.next() % 300) }
            let ante: Ante = hand % 4 == 0 ? .perPlayer(1) : (hand % 4 == 1 ? .bigBlind(2) : .none)
            let rules = GameRules(variant: variant, smallBlind: 1, bigBlind: 2, ante: ante, raiseCap: 3)
            var d = Card.fullDeck
            d.shuffle(using: &rng)
            var state = try HandState(rules: rules, seats: seats(stacks), button: hand % players, deck: d)
            while let legal = state.legalActions() {
                decisions += 1
                let s = legal.seat
                #expect(state.liveCount == state.statuses.filter(\.isLive).count)
                #expect(state.activeCount == state.statuses.filter { $0 == .active }.count)
                #expect(((try? state.applying(.check, by: s)) != nil) == legal.canCheck)
                #expect(((try? state.applying(.fold, by: s)) != nil) == legal.canFold)
                #expect((try? state.applying(.call, by: s)) != nil)
                #expect((try? state.applying(.timeout, by: s)) != nil)
                #expect(legal.callAmount <= legal.stack)
                #expect(throws: HandError.notYourTurn(seat: (s + 1) % players, actor: s)) {
                    try state.applying(.call, by: (s + 1) % players)
                }
                if legal.canRaise {
                    #expect(legal.minRaiseTo <= legal.maxRaiseTo && legal.maxRaiseTo <= legal.allInTo)
                    #expect(legal.minRaiseTo > state.streetBet)
                    #expect((try? state.applying(.raise(to: legal.minRaiseTo), by: s)) != nil)
                    #expect((try? state.applying(.raise(to: legal.maxRaiseTo), by: s)) != nil)
                    #expect((try? state.applying(.raise(to: legal.maxRaiseTo + 1), by: s)) == nil)
                    if legal.minRaiseTo < legal.allInTo {
                        #expect((try? state.applying(.raise(to: legal.minRaiseTo - 1), by: s)) == nil)
                    }
                } else {
                    #expect((try? state.applying(.raise(to: legal.allInTo), by: s)) == nil)
                }
                try state.apply(legal.randomAction(using: &rng), by: s)
            }
            #expect(state.isFinished)
        }
        #expect(decisions > 3000)
    }
}
