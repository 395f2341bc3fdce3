import Testing
@testable import PokerEngine

@Suite struct RuleBettingTests {
    @Test func rule4MinimumRaiseIsCurrentBetPlusLargestRaiseAndBetAtLeastBigBlind() throws {
        var hand = try makeHand(nlhe(), stacks: [200, 200, 200], button: 0)
        #expect(hand.legalActions()?.minRaiseTo == 4)
        hand.act(.raise(to: 6))
        #expect(hand.legalActions()?.minRaiseTo == 10)
        hand.act(.call); hand.act(.call)
        #expect(hand.street == .flop)
        let legal = try #require(hand.legalActions())
        #expect(legal.isBet && legal.minRaiseTo == 2)
        #expect(throws: HandError.raiseBelowMinimum(to: 1, minimum: 2)) { try hand.apply(.bet(1), by: legal.seat) }
        hand.act(.bet(7))
        #expect(hand.legalActions()?.minRaiseTo == 14)
    }

    @Test func rule5RaiseBelowMinimumOrAboveStackIsRejectedWithReasonAndNothingChanges() throws {
        var hand = try makeHand(nlhe(), stacks: [200, 200, 200], button: 0)
        hand.act(.raise(to: 6))
        let before = (hand.stacks, hand.bets, hand.actor, hand.events.count)
        do {
            try hand.apply(.raise(to: 8), by: 1)
            Issue.record("raise to 8 accepted")
        } catch {
            #expect(error == .raiseBelowMinimum(to: 8, minimum: 10))
            #expect(error.reason == "raise to 8 is below the minimum raise to 10")
            #expect(error.code == "raise_below_minimum")
        }
        #expect(throws: HandError.raiseAboveStack(to: 500, allIn: 200)) { try hand.apply(.raise(to: 500), by: 1) }
        #expect(throws: HandError.notYourTurn(seat: 2, actor: 1)) { try hand.apply(.call, by: 2) }
        #expect(throws: HandError.cannotCheck(owed: 5)) { try hand.apply(.check, by: 1) }
        #expect(HandError.cannotCheck(owed: 5).reason.hasPrefix("cannot check with active bet"))
        #expect(hand.stacks == before.0 && hand.bets == before.1 && hand.actor == before.2 && hand.events.count == before.3)
    }

    /// WSOP 2024 rule 96a: A 500, B 1,000, C calls, D all-in 1,300, E all-in 1,700.
    @Test func rule6ShortAllInsTogetherMakingAFullRaiseReopenTheBetting() throws {
        var hand = try wsopFlop()
        hand.act(.bet(500))      // A
        hand.act(.raise(to: 1000)) // B
        hand.act(.call)          // C
        hand.act(.allIn)         // D 1,300
        #expect(hand.actions.last?.to == 1300)
        hand.act(.allIn)         // E 1,700
        #expect(hand.actions.last?.to == 1700)
        #expect(hand.actor == 0)
        #expect(hand.legalActions()?.canRaise == true, "A has not acted on B's full raise")
        hand.act(.call)
        let b = try #require(hand.legalActions())
        #expect(b.seat == 1 && b.canRaise && b.minRaiseTo == 2200)
        hand.act(.call)
        let c = try #require(hand.legalActions())
        #expect(c.seat == 2 && c.canRaise && c.minRaiseTo == 2200)
    }

    @Test func rule6ShortAllInBelowFullRaiseDoesNotReopenForPlayersWhoActed() throws {
        var hand = try wsopFlop()
        hand.act(.bet(500)); hand.act(.raise(to: 1000)); hand.act(.call)
        hand.act(.allIn)  // D 1,300: only 300 more
        let e = try #require(hand.legalActions())
        #expect(e.seat == 4 && e.canRaise, "E has not acted and may raise")
        #expect(e.minRaiseTo == 1700, "E's all-in 1,700 is below the full minimum 1,800")
        hand.act(.fold)
        let a = try #require(hand.legalActions())
        #expect(a.seat == 0 && a.canRaise, "A only bet 500 before B's full raise")
        hand.act(.call)
        let b = try #require(hand.legalActions())
        #expect(b.seat == 1 && !b.canRaise && b.callAmount == 300)
        #expect(throws: HandError.raiseNotAllowed("the betting was not reopened by a full raise")) {
            try hand.apply(.raise(to: 2300), by: 1)
        }
    }

    /// Five players limp to the flop; A (seat 0) is first to act with 10,000; D has 1,300 and E 1,700 behind.
    func wsopFlop() throws -> HandState {
        var hand = try makeHand(nlhe(50, 100), stacks: [10_000, 10_000, 10_000, 1_400, 1_800], button: 4)
        for _ in 0..<4 { hand.act(.call) }
        hand.act(.check)
        #expect(hand.street == .flop && hand.actor == 0)
        return hand
    }

    @Test func rule7BigBlindKeepsOptionWhenLimperIsAllInForLess() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100, 1], button: 0)
        #expect(hand.actor == 3)
        hand.act(.call)
        #expect(hand.actions.last?.isAllIn == true && hand.actions.last?.amount == 1)
        hand.act(.call)   // button
        hand.act(.call)   // small blind completes
        let bb = try #require(hand.legalActions())
        #expect(bb.seat == 2 && bb.canCheck && bb.canRaise && bb.minRaiseTo == 4)
        hand.act(.raise(to: 8))
        #expect(hand.actor == 0)
    }

    @Test func rule8ShortStackMayOnlyCallAllInOrFoldAndNobodyRaisesAllInOpponents() throws {
        var hand = try makeHand(nlhe(), stacks: [200, 5, 200], button: 0)
        hand.act(.raise(to: 10))
        let short = try #require(hand.legalActions())
        #expect(short.seat == 1 && !short.canRaise && short.callAmount == 4 && short.canFold)
        #expect(throws: HandError.raiseNotAllowed("the stack only covers a call")) { try hand.apply(.raise(to: 20), by: 1) }
        hand.act(.allIn)
        #expect(hand.actions.last?.kind == .call && hand.actions.last?.isAllIn == true)

        var headsUp = try makeHand(nlhe(), stacks: [50, 300], button: 0)
        headsUp.act(.allIn)
        let big = try #require(headsUp.legalActions())
        #expect(big.seat == 1 && !big.canRaise && big.callAmount == 48)
        #expect(throws: HandError.raiseNotAllowed("every opponent is all in or covered")) { try headsUp.apply(.raise(to: 200), by: 1) }
    }

    @Test func rule9ShortBigBlindStillMeansFullBigBlindOwed() throws {
        let hand = try makeHand(nlhe(5, 10), stacks: [100, 100, 4], button: 0)
        #expect(hand.forcedBets.last == ForcedBet(seat: 2, kind: .bigBlind, amount: 4, isAllIn: true))
        let legal = try #require(hand.legalActions())
        #expect(legal.seat == 0 && legal.callAmount == 10 && legal.minRaiseTo == 20)
    }

    @Test func rule9BigBlindAnteShortStackPostsBlindFirstThenAnte() throws {
        let hand = try makeHand(nlhe(1, 2, ante: .bigBlind(2)), stacks: [100, 100, 3], button: 0)
        #expect(hand.forcedBets == [
            ForcedBet(seat: 1, kind: .smallBlind, amount: 1, isAllIn: false),
            ForcedBet(seat: 2, kind: .bigBlind, amount: 2, isAllIn: false),
            ForcedBet(seat: 2, kind: .ante, amount: 1, isAllIn: true),
        ])
        #expect(hand.legalActions()?.callAmount == 2)
        let full = try makeHand(nlhe(1, 2, ante: .perPlayer(1)), stacks: [100, 100, 100], button: 0)
        #expect(full.forcedBets.map(\.kind) == [.ante, .ante, .ante, .smallBlind, .bigBlind])
        #expect(full.totalPot == 6)
    }

    @Test func rule9BigBlindAnteIsDeadMoneyInTheMainPot() throws {
        // The big blind's ante is never returned as "uncalled" and goes to the main pot.
        var hand = try makeHand(nlhe(1, 2, ante: .bigBlind(2)), stacks: [100, 100, 100], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        hand.act(.call); hand.act(.fold); hand.act(.check)
        while hand.actor != nil { hand.act(.check) }
        let record = try #require(hand.record)
        #expect(record.uncalledReturns.isEmpty)
        #expect(record.pots.map(\.amount) == [7] && record.pots[0].eligible == [0, 2])
        #expect(record.finalStacks == [105, 99, 96])
        // With side pots the ante still sits in the main pot, winnable by the short all-in player.
        var side = try makeHand(nlhe(1, 2, ante: .bigBlind(2)), stacks: [10, 100, 100], button: 0,
                                holes: ["Ah Ad", "7c 2d", "Qh Qd"], board: "Ks 9c 5d 3h Jc")
        side.act(.allIn); side.act(.call); side.act(.call)   // button all in for 10; both blinds call
        while side.actor != nil { side.act(.check) }
        let sideRecord = try #require(side.record)
        #expect(sideRecord.pots.map(\.amount) == [32] && sideRecord.pots[0].eligible == [0, 1, 2])
        #expect(sideRecord.finalStacks == [32, 90, 88])
    }

    @Test func rule12PotLimitRaisesCallFirstThenRaiseThePot() throws {
        let plo = GameRules(variant: .plo, smallBlind: 1, bigBlind: 2)
        var hand = try makeHand(plo, stacks: [500, 500, 500, 500], button: 0)
        #expect(hand.legalActions()?.maxRaiseTo == 7)
        #expect(throws: HandError.raiseAboveMaximum(to: 8, maximum: 7)) { try hand.apply(.raise(to: 8), by: 3) }
        hand.act(.raise(to: 7))
        #expect(hand.legalActions()?.maxRaiseTo == 24)
        #expect(hand.legalActions()?.minRaiseTo == 12)
        // A big blind posted short: the pot math still assumes full blinds.
        let short = try makeHand(plo, stacks: [500, 500, 1], button: 0)
        #expect(short.legalActions()?.maxRaiseTo == 7)
        // Postflop pot bet.
        hand.act(.call); hand.act(.call); hand.act(.call)
        #expect(hand.street == .flop && hand.totalPot == 28)
        #expect(hand.legalActions()?.maxRaiseTo == 28)
    }

    @Test func fixedLimitUsesBetSizesAndCapsRaisesUnlessHeadsUp() throws {
        let flhe = GameRules(variant: .flhe, smallBlind: 1, bigBlind: 2, smallBet: 2, bigBet: 4, raiseCap: 4)
        var hand = try makeHand(flhe, stacks: [100, 100, 100], button: 0)
        var legal = try #require(hand.legalActions())
        #expect(legal.minRaiseTo == 4 && legal.maxRaiseTo == 4)
        #expect(throws: HandError.raiseAboveMaximum(to: 6, maximum: 4)) { try hand.apply(.raise(to: 6), by: 0) }
        hand.act(.raise(to: 4)); hand.act(.raise(to: 6)); hand.act(.raise(to: 8))
        legal = try #require(hand.legalActions())
        #expect(legal.seat == 0 && !legal.canRaise && legal.callAmount == 4, "bet + 3 raises reached the cap of 4")
        hand.act(.call); hand.act(.call)
        #expect(hand.street == .flop)
        #expect(throws: HandError.cannotFold) { try hand.apply(.fold, by: 1) }
        #expect(hand.legalActions()?.minRaiseTo == 2, "flop bets are the small bet")
        // Turn and river use the big bet.
        var heads = try makeHand(flhe, stacks: [100, 100], button: 0)
        heads.act(.call); heads.act(.check)
        heads.act(.check); heads.act(.check)
        #expect(heads.street == .turn)
        #expect(heads.legalActions()?.minRaiseTo == 4)
        // Heads-up at the start of the round: no cap.
        for _ in 0..<6 { heads.act(.raise(to: heads.legalActions()?.minRaiseTo ?? 0)) }
        #expect(heads.legalActions()?.canRaise == true)
    }

    @Test func timeoutChecksWhenLegalOtherwiseFolds() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        hand.act(.timeout)
        #expect(hand.actions.last?.kind == .fold && hand.actions.last?.timedOut == true)
        hand.act(.call)
        hand.act(.timeout)
        #expect(hand.actions.last?.kind == .check && hand.actions.last?.timedOut == true)
        #expect(hand.street == .flop)
    }
}
