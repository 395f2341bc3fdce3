import Testing
import PokerEngine
@testable import FeltTables

@Suite("Hands: start, dealing in, leaving mid-hand")
struct TableHandTests {
    @Test("a hand starts by itself once two players with chips are seated")
    func autoStart() throws {
        var h = try Harness()
        try h.join(alice)
        #expect(!h.state.isHandRunning)
        #expect(h.state.handNumber == 0)
        try h.join(bob)
        #expect(h.state.isHandRunning)
        #expect(h.state.handNumber == 1)
        #expect(h.events.contains { if case .handStarted(1, _, [0, 1]) = $0 { true } else { false } })
    }

    @Test("the next hand waits for the hand pause")
    func pauseBetweenHands() throws {
        var h = try Harness(testSettings(pause: 3_000))
        try h.join(alice); try h.join(bob)
        let first = try #require(h.toAct)
        try h.act(first, .fold)
        #expect(!h.state.isHandRunning)
        #expect(h.hands.count == 1)
        h.advance(2_999)
        #expect(!h.state.isHandRunning)
        h.advance(1)
        #expect(h.state.isHandRunning)
        #expect(h.state.handNumber == 2)
    }

    @Test("no hand starts while the last one is not recorded by the ledger")
    func waitsForRecord() throws {
        var state = try TableState(settings: testSettings(pause: 0))
        _ = try state.join(user: alice, username: "alice", buyIn: 100, now: t0)
        _ = try state.join(user: bob, username: "bob", buyIn: 100, now: t0)
        let actor = try #require(state.seatToAct.flatMap { state.seats[$0]?.user })
        let fx = try state.act(user: actor, action: .fold, now: t0)
        #expect(fx.contains { if case .handFinished = $0 { true } else { false } })
        #expect(state.awaitingHandRecord)
        state.tick(now: t0 + 60_000)
        #expect(!state.isHandRunning)
        state.handRecorded(now: t0 + 60_000)
        #expect(state.isHandRunning)
        #expect(state.handNumber == 2)
    }

    @Test("a player who joins during a hand is dealt in from the next hand")
    func newPlayerNextHand() throws {
        var h = try Harness()
        try h.join(alice); try h.join(bob)
        let seat = try h.join(carol)
        #expect(h.state.hand?.statuses[seat] == .out)
        #expect(h.state.seats[seat]?.inHand == false)
        while let u = h.toAct { try h.act(u, .fold) }
        h.advance(1_000)
        #expect(h.state.handNumber == 2)
        #expect(h.state.seats[seat]?.inHand == true)
        #expect(h.state.hand?.statuses[seat] == .active)
    }

    @Test("leaving during one's turn folds at once, pays the remaining stack, and the hand goes on")
    func leaveDuringTurnFolds() throws {
        var h = try Harness()
        try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
        let leaver = try #require(h.toAct)
        let seat = try #require(h.state.seatIndex(of: leaver))
        let live = try #require(h.state.hand?.stacks[seat])
        let out = try h.leave(leaver)
        #expect(out.returned == live)
        #expect(h.state.hand?.statuses[seat] == .folded)
        #expect(h.state.isHandRunning)
        #expect(h.toAct != leaver)
        #expect(h.cashOuts.last == CashOut(tableID: "t1", user: leaver, amount: live, reason: .leave, handNumber: 1))
        #expect(throws: TableError.notSeated) { try h.leave(leaver) }
        #expect(throws: TableError.notSeated) { try h.act(leaver, .call) }
        while let u = h.toAct {
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(u, legal.canCheck ? .check : .call)
        }
        #expect(h.hands.count == 1)
        #expect(h.state.seats[seat] == nil)
        #expect(h.cashOuts.filter { $0.user == leaver }.map(\.amount) == [live])
        #expect(h.conserved())
    }

    @Test("a player who leaves out of turn is folded at once; the actor keeps the turn")
    func leaveOutOfTurn() throws {
        var h = try Harness()
        try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
        let actor = try #require(h.toAct)
        let deadline = h.state.actionDeadline
        let other = try #require([alice, bob, carol].first { $0 != actor })
        let seat = try #require(h.state.seatIndex(of: other))
        try h.leave(other)
        #expect(h.state.seats[seat]?.phase == .left)
        #expect(h.state.hand?.statuses[seat] == .folded)
        #expect(h.toAct == actor)
        #expect(h.state.actionDeadline == deadline, "the actor's clock is not restarted")
        #expect(h.events.contains { if case .action(1, let a) = $0 { a.seat == seat && a.kind == .fold && a.isForfeit } else { false } })
        while let u = h.toAct {
            #expect(u != other)
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(u, legal.canCheck ? .check : .call)
        }
        let record = try #require(h.hands.first?.record)
        #expect(record.actions.filter { $0.seat == seat }.map(\.kind).last == .fold)
        #expect(!record.actions.contains { $0.seat == seat && $0.kind == .check })
        #expect(h.state.seats[seat] == nil)
        #expect(h.conserved())
    }

    @Test("a player who leaves with nothing to call is folded immediately and cannot win the pot")
    func leaveWithNothingToCallCannotWin() throws {
        for seed in UInt64(1)...6 {
            var h = try Harness(seed: seed)
            try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
            // 3-handed, button alice (seat 0), small blind bob (1), big blind carol (2).
            try h.act(alice, .call)
            try h.act(bob, .call)
            try h.act(carol, .check)
            #expect(h.state.hand?.street == .flop)
            #expect(h.toAct == bob)
            let out = try h.leave(carol)  // not her turn, nothing owed
            #expect(out.returned == 198)
            #expect(!out.paidAtHandEnd)
            #expect(h.state.hand?.statuses[2] == .folded)
            #expect(h.toAct == bob)
            while let u = h.toAct {
                #expect(u != carol)
                try h.act(u, .check)
            }
            let record = try #require(h.hands.first?.record)
            #expect(record.pots.allSatisfy { !$0.eligible.contains(2) })
            #expect(!record.winners.contains { $0.seat == 2 })
            #expect(record.seats[2].finalStack == 198)
            #expect(record.pots.reduce(0) { $0 + $1.amount } == 6, "her big blind stays in the pot")
            #expect(h.cashOuts.filter { $0.user == carol }.map(\.amount) == [198])
            #expect(h.state.seats[2] == nil)
            #expect(h.conserved())
        }
    }

    @Test("when the leaver was the only opponent, the hand ends at once and the other player wins")
    func leaveHeadsUpEndsHand() throws {
        var h = try Harness()
        try h.seatAll([(alice, 200), (bob, 200)])
        // Heads-up: the button (alice) is the small blind and acts first preflop.
        try h.act(alice, .call)
        try h.act(bob, .check)
        #expect(h.state.hand?.street == .flop)
        let actor = try #require(h.toAct)
        let leaver = actor == alice ? bob : alice
        let stayer = actor
        try h.leave(leaver)
        #expect(!h.state.isHandRunning)
        let record = try #require(h.hands.first?.record)
        let stayerSeat = stayer == alice ? 0 : 1
        #expect(record.winners == [Payout(seat: stayerSeat, amount: 4)])
        #expect(!record.wentToShowdown)
        #expect(h.cashOuts.filter { $0.user == leaver }.map(\.amount) == [198])
        #expect(h.state.seats[stayerSeat]?.stack == 202)
        #expect(h.conserved())
    }

    @Test("an all-in player who leaves is paid what they win when the hand ends")
    func allInLeaverPaidAtEnd() throws {
        for seed in UInt64(1)...6 {
            var h = try Harness(seed: seed)
            try h.seatAll([(alice, 100), (bob, 200), (carol, 200)])
            // 3-handed, button seat 0 (alice) acts first preflop.
            #expect(h.toAct == alice)
            try h.act(alice, .allIn)
            try h.act(bob, .call)
            let out = try h.leave(alice)
            #expect(out.returned == 0)
            #expect(out.paidAtHandEnd)
            #expect(h.cashOuts.isEmpty)
            try h.act(carol, .fold)
            #expect(!h.state.isHandRunning)
            let record = try #require(h.hands.first?.record)
            let won = record.seats[0].finalStack
            let paid = h.cashOuts.filter { $0.user == alice }
            if won > 0 {
                #expect(paid == [CashOut(tableID: "t1", user: alice, amount: won, reason: .handEndAfterLeave, handNumber: 1)])
            } else {
                #expect(paid.isEmpty)
            }
            #expect(h.state.seats[0] == nil)
            #expect(h.conserved())
        }
    }

    @Test("busted players are removed at the end of the hand with a zero cash-out")
    func bustedRemoved() throws {
        for seed in UInt64(1)...8 {
            var h = try Harness(seed: seed)
            try h.join(alice, 100); try h.join(bob, 100)
            try h.act(alice, .allIn)
            try h.act(bob, .call)
            let record = try #require(h.hands.first?.record)
            for (user, seat) in [(alice, 0), (bob, 1)] where record.seats[seat].finalStack == 0 {
                #expect(h.state.seats[seat] == nil)
                #expect(h.cashOuts.contains(CashOut(tableID: "t1", user: user, amount: 0, reason: .busted, handNumber: 1)))
            }
            #expect(h.conserved())
        }
    }

    @Test("the button and blinds move with the engine's dead-button rule")
    func buttonMoves() throws {
        var h = try Harness()
        try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
        let p1 = try #require(h.state.hand?.positions)
        while let u = h.toAct { try h.act(u, .fold) }
        h.advance(1_000)
        let p2 = try #require(h.state.hand?.positions)
        #expect(p2 == p1.next(dealtIn: [true, true, true, false, false, false]))
        #expect(p2.bigBlind != p1.bigBlind)
    }
}
