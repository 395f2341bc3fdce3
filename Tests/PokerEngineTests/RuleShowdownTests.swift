import Testing
@testable import PokerEngine

@Suite struct RuleShowdownTests {
    @Test func rule13LastRiverAggressorShowsFirstAndLosingHandsMuck() throws {
        // Seat 2 bets the river with the worst hand, seats 0 and 1 call; seat 0 beats seat 1.
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0,
                                holes: ["Ah Kd", "Qh Qd", "7c 2d"], board: "As 9c 5d 3h Jc")
        hand.act(.call); hand.act(.call); hand.act(.check)
        while hand.street != .river { hand.act(.check) }
        #expect(hand.actor == 1)
        hand.act(.check)
        hand.act(.bet(10))  // seat 2
        hand.act(.call)     // seat 0
        hand.act(.call)     // seat 1
        let record = try #require(hand.record)
        #expect(record.showdown.map(\.seat) == [2, 0, 1])
        #expect(record.showdown.map(\.shown) == [true, true, false])
        #expect(record.winners == [Payout(seat: 0, amount: 36)])
        // Viewers other than seat 1 never see its mucked cards.
        #expect(hand.view(for: 0).seats[1].cards.isEmpty)
        #expect(hand.view(for: 0).seats[2].cards == parseCards("7c 2d"))
        #expect(hand.view(for: 1).seats[1].cards == parseCards("Qh Qd"))
    }

    @Test func rule13CheckedThroughShowsFromFirstSeatLeftOfButton() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        hand.act(.call); hand.act(.call); hand.act(.check)
        while hand.actor != nil { hand.act(.check) }
        let record = try #require(hand.record)
        #expect(record.showdown.map(\.seat) == [1, 2, 0])
        #expect(record.showdown.map(\.shown) == [true, true, true], "each shown hand beats the ones before it")
    }

    @Test func rule13UncontestedWinnerShowsNothing() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        hand.act(.raise(to: 10)); hand.act(.fold); hand.act(.fold)
        let record = try #require(hand.record)
        #expect(record.showdown.isEmpty && !record.wentToShowdown)
        #expect(!hand.events.contains { if case .showdown = $0 { true } else { false } })
        #expect(hand.view(for: 1).seats[0].cards.isEmpty)
    }

    @Test func rule13AllInWithActionClosedExposesAllHandsAndRunsOutTheBoard() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 300], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        hand.act(.allIn); hand.act(.allIn); hand.act(.call)
        #expect(hand.isFinished)
        #expect(hand.handsExposed)
        #expect(hand.events.contains(.handsExposed(seats: [0, 1, 2])))
        #expect(hand.board.count == 5)
        let record = try #require(hand.record)
        #expect(record.showdown.allSatisfy(\.shown) && record.showdown.count == 3)
        #expect(record.uncalledReturns.isEmpty)
    }

    @Test func rule14WheelIsLowestStraightBestFiveOnlyAndSuitsNeverBreakTies() throws {
        // Wheel loses to a six-high straight.
        var wheel = try makeHand(nlhe(), stacks: [100, 100], button: 0,
                                 holes: ["Ah 2c", "6d 7s"], board: "3d 4s 5h Kc Kd")
        wheel.act(.allIn); wheel.act(.call)
        #expect(wheel.record?.winners == [Payout(seat: 1, amount: 200)])
        #expect(wheel.record?.showdown.first { $0.seat == 0 }?.category == "straight")
        // No wrap-around: Q-K-A-2-3 is not a straight; the board pair of kings with ace kicker plays.
        var noWrap = try makeHand(nlhe(), stacks: [100, 100], button: 0,
                                  holes: ["2h 3c", "8d 9s"], board: "Qd Kc As 4h Kd")
        noWrap.act(.allIn); noWrap.act(.call)
        #expect(noWrap.record?.showdown.first { $0.seat == 0 }?.category == "one_pair")
        // Only the best five count: both play the board's broadway straight → split.
        var board = try makeHand(nlhe(), stacks: [100, 100], button: 0,
                                 holes: ["2h 3c", "4d 5s"], board: "Ts Jd Qc Kh Ad")
        board.act(.allIn); board.act(.call)
        #expect(board.record?.finalStacks == [100, 100])
        // Omaha: exactly two hole cards. Four hearts on board plus one heart in hand is no flush.
        let plo = GameRules(variant: .plo, smallBlind: 1, bigBlind: 2)
        var omaha = try makeHand(plo, stacks: [100, 100], button: 0,
                                 holes: ["Ah 2c 3d 4s", "Kc Kd 7s 8s"], board: "5h 9h Th Jh 2d")
        omaha.act(.raise(to: 6)); omaha.act(.call)
        while omaha.actor != nil { omaha.act(.check) }
        #expect(omaha.record?.showdown.first { $0.seat == 0 }?.category == "one_pair")
        #expect(omaha.record?.winners == [Payout(seat: 1, amount: 12)])
        // Same ranks, different suits: split.
        var suits = try makeHand(nlhe(), stacks: [100, 100], button: 0,
                                 holes: ["Ah Kh", "As Ks"], board: "2c 7d 9c Jd 4h")
        suits.act(.allIn); suits.act(.call)
        #expect(suits.record?.finalStacks == [100, 100])
    }
}
