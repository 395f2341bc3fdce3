import FeltTestSupport
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

@Suite struct HandPositionRotationTests {
    @Test func rule2MovingBigBlindNeverRepeatsOrSkipsAcrossRandomBustsAndReturns() throws {
        var rng = SplitMix64(seed: 5)
        var dealtIn = [Bool](repeating: true, count: 8)
        var positions = try #require(HandPositions.standard(button: 0, dealtIn: dealtIn))
        var bigBlindOwed = Set<Int>()
        for _ in 0..<2000 {
            // Someone busts or sits back in, keeping at least two players.
            let seat = Int(rng.next() % 8)
            if dealtIn[seat] {
                if dealtIn.filter({ $0 }).count > 2 { dealtIn[seat] = false }
            } else {
                dealtIn[seat] = true
            }
            let previous = positions
            let next = try #require(previous.next(dealtIn: dealtIn))
            // The big blind goes to the first dealt-in seat after last hand's big blind.
            var expected = previous.bigBlind
            repeat { expected = (expected + 1) % 8 } while !dealtIn[expected]
            #expect(next.bigBlind == expected)
            let players = dealtIn.filter { $0 }.count
            if players == 2 {
                #expect(next.smallBlind == next.button && dealtIn[next.button] && next.button != next.bigBlind)
            } else {
                #expect(next.smallBlind == nil || next.smallBlind == previous.bigBlind)
                #expect(next.button != next.bigBlind && next.button != next.smallBlind)
            }
            // A hand can always be started from these positions.
            let setups = dealtIn.map { SeatSetup(stack: $0 ? 100 : 0, sittingIn: $0) }
            let hand = try HandState(rules: nlhe(), seats: setups, positions: next, deck: Card.fullDeck)
            #expect(hand.forcedBets.last?.seat == next.bigBlind)
            bigBlindOwed.insert(next.bigBlind)
            positions = next
        }
        #expect(bigBlindOwed.count == 8, "every seat posted the big blind at some point")
    }
}
