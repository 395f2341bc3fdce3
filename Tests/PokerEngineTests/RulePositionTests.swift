import Testing
@testable import PokerEngine

@Suite struct RulePositionTests {
    @Test func rule1HeadsUpButtonPostsSmallBlindActsFirstPreflopAndLastAfter() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100], button: 1)
        #expect(hand.positions == HandPositions(button: 1, smallBlind: 1, bigBlind: 0))
        #expect(hand.forcedBets.map(\.seat) == [1, 0])
        #expect(hand.forcedBets.map(\.amount) == [1, 2])
        #expect(hand.actor == 1)
        hand.act(.call)
        #expect(hand.actor == 0)
        hand.act(.check)
        #expect(hand.street == .flop)
        #expect(hand.actor == 0)
        hand.act(.check)
        #expect(hand.actor == 1)
        hand.act(.check)
        #expect(hand.street == .turn && hand.actor == 0)
    }

    @Test func rule2ThreeToTwoNobodyPostsBigBlindTwiceInARow() throws {
        let previous = HandPositions(button: 0, smallBlind: 1, bigBlind: 2)
        for busted in 0..<3 {
            var dealtIn = [true, true, true]
            dealtIn[busted] = false
            let next = try #require(previous.next(dealtIn: dealtIn))
            #expect(next.bigBlind != previous.bigBlind, "busted \(busted)")
            #expect(dealtIn[next.bigBlind])
            #expect(next.smallBlind == next.button, "heads-up: the button posts the small blind")
            let sb = try #require(next.smallBlind)
            #expect(dealtIn[sb] && sb != next.bigBlind)
            // And the hand after that alternates without a repeated big blind.
            let after = try #require(next.next(dealtIn: dealtIn))
            #expect(after.bigBlind != next.bigBlind)
            #expect(after.bigBlind == sb)
        }
    }

    @Test func rule2DeadButtonWhenSmallBlindBusts() throws {
        let previous = HandPositions(button: 0, smallBlind: 1, bigBlind: 2)
        let next = try #require(previous.next(dealtIn: [true, false, true, true, true]))
        #expect(next == HandPositions(button: 1, smallBlind: 2, bigBlind: 3))
        // The hand plays with the dead button on the empty seat 1.
        var hand = try makeHand(nlhe(), stacks: [100, 0, 100, 100, 100], button: 1, positions: next)
        #expect(hand.forcedBets.map(\.seat) == [2, 3])
        #expect(hand.actor == 4)
        hand.act(.call); hand.act(.call); hand.act(.call); hand.act(.check)
        #expect(hand.street == .flop)
        #expect(hand.actor == 2, "postflop starts left of the dead button")
    }

    @Test func rule2DeadSmallBlindWhenBigBlindBusts() throws {
        let previous = HandPositions(button: 0, smallBlind: 1, bigBlind: 2)
        let next = try #require(previous.next(dealtIn: [true, true, false, true, true]))
        #expect(next == HandPositions(button: 1, smallBlind: nil, bigBlind: 3))
        let hand = try makeHand(nlhe(), stacks: [100, 100, 0, 100, 100], button: 1, positions: next)
        #expect(hand.forcedBets.map(\.kind) == [.bigBlind])
        #expect(hand.actor == 4)
    }

    @Test func rule3BlindsLeftOfButtonFirstActorLeftOfBigBlindThenLeftOfButton() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100, 100], button: 0)
        #expect(hand.positions == HandPositions(button: 0, smallBlind: 1, bigBlind: 2))
        #expect(hand.actor == 3)
        hand.act(.call); hand.act(.call)
        #expect(hand.actor == 1)
        hand.act(.fold)
        #expect(hand.actor == 2)
        hand.act(.check)
        #expect(hand.street == .flop)
        #expect(hand.actor == 2, "small blind folded: first active seat left of the button is the big blind")
    }
}
