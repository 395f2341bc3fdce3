import Testing
@testable import PokerEngine

@Suite struct RulePotTests {
    @Test func rule10UncalledBetIsReturnedBeforePotsAndNeverRaked() throws {
        let rules = nlhe(rake: RakeRule(basisPoints: 1000, capPerHand: 0, noFlopNoDrop: true))
        var hand = try makeHand(rules, stacks: [200, 200], button: 0)
        hand.act(.raise(to: 20)); hand.act(.call)
        #expect(hand.street == .flop)
        hand.act(.bet(100))  // the big blind acts first after the flop
        hand.act(.fold)
        #expect(hand.isFinished)
        let record = try #require(hand.record)
        #expect(record.uncalledReturns == [Payout(seat: 1, amount: 100)])
        #expect(record.pots.map(\.amount) == [40])
        #expect(record.rake == 4)
        #expect(record.finalStacks == [180, 216])
        #expect(hand.events.contains(.uncalledBetReturned(Payout(seat: 1, amount: 100))))
    }

    @Test func rule10CallAllInForLessReturnsTheExcess() throws {
        var hand = try makeHand(nlhe(), stacks: [300, 40], button: 0, holes: ["Ah Ad", "7c 2d"], board: "Kh Qs 9c 5d 3h")
        hand.act(.raise(to: 100))
        hand.act(.call)
        #expect(hand.isFinished)
        let record = try #require(hand.record)
        #expect(record.uncalledReturns == [Payout(seat: 0, amount: 60)])
        #expect(record.pots == [PotRecord(amount: 80, eligible: [0, 1], rake: 0, winners: [Payout(seat: 0, amount: 80)])])
        #expect(record.finalStacks == [340, 0])
    }

    @Test func rule11ThreeAllInsMakeMainAndTwoSidePotsWithFoldedChipsAndSeparateSplits() throws {
        // Seats: A 50, B 100, C 200, D 300, E 300 (button). A wins the main pot, B the first side
        // pot, C and D tie for the second side pot; E folds after putting in 10.
        let board = "2s 3s 8d 9h Kc"
        var hand = try makeHand(nlhe(), stacks: [50, 100, 200, 300, 300], button: 4,
                                holes: ["Ah Ac", "Th Td", "Qh Jd", "Qd Jh", "4c 5c"], board: board)
        hand.act(.raise(to: 10))  // C
        hand.act(.call)           // D
        hand.act(.call)           // E
        hand.act(.allIn)          // A 50
        hand.act(.allIn)          // B 100
        hand.act(.allIn)          // C 200
        hand.act(.call)           // D 200
        hand.act(.fold)           // E
        #expect(hand.isFinished)
        let record = try #require(hand.record)
        #expect(record.pots.map(\.amount) == [210, 150, 200])
        #expect(record.pots.map(\.eligible) == [[0, 1, 2, 3], [1, 2, 3], [2, 3]])
        #expect(record.pots[0].winners == [Payout(seat: 0, amount: 210)])
        #expect(record.pots[1].winners == [Payout(seat: 1, amount: 150)])
        #expect(record.pots[2].winners == [Payout(seat: 2, amount: 100), Payout(seat: 3, amount: 100)])
        #expect(record.finalStacks == [210, 150, 100, 200, 290])
        #expect(!record.pots.contains { $0.eligible.contains(4) })
    }

    @Test func rule11OddChipGoesToFirstTiedWinnerLeftOfButton() throws {
        // Royal flush on board: three players split 7 chips; seat 1 folded the small blind.
        var hand = try makeHand(nlhe(), stacks: [10, 10, 10, 10], button: 0,
                                holes: ["2c 3d", "4c 5d", "6c 7d", "8c 9d"], board: "Ah Kh Qh Jh Th")
        hand.act(.call)   // 3
        hand.act(.call)   // 0
        hand.act(.fold)   // 1 (small blind)
        hand.act(.check)  // 2
        while hand.actor != nil { hand.act(.check) }
        let record = try #require(hand.record)
        #expect(record.pots.count == 1 && record.pots[0].amount == 7)
        #expect(record.pots[0].winners == [Payout(seat: 2, amount: 3), Payout(seat: 3, amount: 2), Payout(seat: 0, amount: 2)])
        #expect(record.finalStacks == [10, 9, 11, 10])
        // Two odd chips (11 = 3 × 3 + 2): one each to the first two tied winners left of the button.
        var ante = try makeHand(nlhe(ante: .perPlayer(1)), stacks: [10, 10, 10, 10], button: 0,
                                holes: ["2c 3d", "4c 5d", "6c 7d", "8c 9d"], board: "Ah Kh Qh Jh Th")
        ante.act(.call); ante.act(.call); ante.act(.fold); ante.act(.check)
        while ante.actor != nil { ante.act(.check) }
        #expect(ante.record?.pots.first?.winners == [Payout(seat: 2, amount: 4), Payout(seat: 3, amount: 4), Payout(seat: 0, amount: 3)])
    }

    @Test func rule15RakeIsPercentCappedPerHandAndNoneWithoutFlop() throws {
        let rules = nlhe(rake: RakeRule(basisPoints: 500, capPerHand: 3, noFlopNoDrop: true))
        // Capped: pot 200 → 5 % = 10, cap 3.
        var big = try makeHand(rules, stacks: [100, 100], button: 0, holes: ["Ah Ad", "7c 2d"], board: "Kh Qs 9c 5d 3h")
        big.act(.allIn); big.act(.call)
        #expect(big.record?.rake == 3)
        #expect(big.record?.finalStacks == [197, 0])
        #expect(big.record?.pots.first?.rake == 3)
        // Uncapped percent: pot 40 → 2.
        var small = try makeHand(rules, stacks: [100, 100], button: 0, holes: ["Ah Ad", "7c 2d"], board: "Kh Qs 9c 5d 3h")
        small.act(.raise(to: 20)); small.act(.call)
        while small.actor != nil { small.act(.check) }
        #expect(small.record?.rake == 2)
        #expect(small.record?.finalStacks == [118, 80])
        // No flop, no drop.
        var noFlop = try makeHand(rules, stacks: [100, 100], button: 0)
        noFlop.act(.raise(to: 20)); noFlop.act(.fold)
        #expect(noFlop.record?.rake == 0)
        #expect(noFlop.record?.finalStacks == [102, 98])
        // Conservation.
        for record in [big.record, small.record, noFlop.record].compactMap({ $0 }) {
            #expect(record.finalStacks.reduce(0, +) + record.rake == 200)
        }
    }
}
