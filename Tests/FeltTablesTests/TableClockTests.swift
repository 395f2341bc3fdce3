import Testing
import PokerEngine
@testable import FeltTables

@Suite("Turn clock, timeouts and sitting out")
struct TableClockTests {
    /// Heads-up, first hand: seat 0 (alice) is button and small blind and acts first.
    func headsUp(_ settings: TableSettings = testSettings()) throws -> Harness {
        var h = try Harness(settings)
        try h.join(alice, 200); try h.join(bob, 200)
        return h
    }

    @Test("the action deadline is now + the action timeout")
    func deadline() throws {
        let h = try headsUp()
        #expect(h.state.actionDeadline == t0 + 10_000)
    }

    @Test("a turn that runs out facing a bet folds")
    func timeoutFolds() throws {
        var h = try headsUp()
        #expect(h.toAct == alice)
        h.advance(9_999)
        #expect(h.toAct == alice)
        h.advance(1)
        let record = try #require(h.hands.first?.record)
        #expect(record.actions.map(\.kind) == [.fold])
        #expect(record.actions.first?.timedOut == true)
        #expect(h.state.seat(of: alice)?.consecutiveTimeouts == 1)
    }

    @Test("a turn that runs out with nothing owed checks")
    func timeoutChecks() throws {
        var h = try headsUp()
        try h.act(alice, .call)
        #expect(h.toAct == bob)
        h.advance(10_000)
        let hand = try #require(h.state.hand)
        let last = try #require(hand.actions.last)
        #expect(last.kind == .check)
        #expect(last.timedOut)
        #expect(hand.street == .flop)
    }

    @Test("the time bank extends the turn once the action timeout passes")
    func timeBank() throws {
        var h = try headsUp(testSettings(timeBank: 5_000))
        h.advance(10_000)
        #expect(h.toAct == alice)
        #expect(h.state.actionDeadline == t0 + 15_000)
        #expect(h.state.turnUsesTimeBank)
        h.advance(2_000)
        try h.act(alice, .call)
        #expect(h.state.seat(of: alice)?.timeBankLeft == 3_000)
        #expect(h.state.seat(of: alice)?.consecutiveTimeouts == 0)
        // Bob has a full bank: 10 s + 5 s, then his check is automatic.
        h.advance(14_999)
        #expect(h.toAct == bob)
        h.advance(1)
        #expect(h.state.seat(of: bob)?.timeBankLeft == 0)
        #expect(h.state.hand?.actions.last?.timedOut == true)
    }

    @Test("two timeouts in a row sit the player out; no hand starts without two players sitting in")
    func twoTimeoutsSitOut() throws {
        var h = try headsUp()
        h.advance(10_000)                       // hand 1: alice times out (fold)
        #expect(h.state.seat(of: alice)?.consecutiveTimeouts == 1)
        h.advance(1_000)                        // hand 2 starts
        #expect(h.state.handNumber == 2)
        while let u = h.toAct, u == bob {
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(bob, legal.canCheck ? .check : .call)
        }
        #expect(h.toAct == alice)
        h.advance(10_000)                       // alice's second timeout in a row
        let seat = try #require(h.state.seat(of: alice))
        #expect(seat.isSittingOut)
        #expect(seat.sittingOutSince == h.now)
        #expect(h.events.contains(.sittingOut(seat: 0, username: "alice", isSittingOut: true)))
        // The rest of the hand plays itself for her.
        while let u = h.toAct {
            #expect(u == bob)
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(bob, legal.canCheck ? .check : .call)
        }
        h.advance(5_000)
        #expect(h.state.handNumber == 2)
        #expect(!h.state.isHandRunning)
    }

    @Test("a voluntary action resets the timeout count")
    func actionResetsTimeouts() throws {
        var h = try headsUp()
        h.advance(10_000)
        h.advance(1_000)
        // Hand 2: bob is the button and acts first; alice is the big blind.
        try h.act(bob, .call)
        try h.act(alice, .check)
        #expect(h.state.seat(of: alice)?.consecutiveTimeouts == 0)
        #expect(h.state.seat(of: alice)?.isSittingOut == false)
    }

    @Test("sitting out longer than the sit-out timeout removes the player and pays the stack")
    func sitOutRemoval() throws {
        var h = try headsUp(testSettings(sitOut: 30_000))
        let fx = try h.state.sitOut(user: alice, now: h.now)
        h.absorb(fx)
        while let u = h.toAct {
            let legal = try #require(h.state.hand?.legalActions())
            if u == bob { try h.act(bob, legal.canCheck ? .check : .call) }
        }
        let stack = try #require(h.state.seat(of: alice)?.stack)
        let since = try #require(h.state.seat(of: alice)?.sittingOutSince)
        h.now = since
        h.advance(29_999)
        #expect(h.state.seat(of: alice) != nil)
        h.advance(1)
        #expect(h.state.seat(of: alice) == nil)
        #expect(h.cashOuts.last == CashOut(tableID: "t1", user: alice, amount: stack, reason: .sitOutTimeout, handNumber: 1))
        #expect(h.conserved())
    }

    @Test("sitting back in deals the player into the next hand")
    func sitIn() throws {
        var h = try headsUp()
        h.absorb(try h.state.sitOut(user: alice, now: h.now))
        while h.toAct != nil { try h.act(bob, (h.state.hand?.legalActions()?.canCheck ?? false) ? .check : .call) }
        h.advance(1_000)
        #expect(!h.state.isHandRunning)
        h.absorb(try h.state.sitIn(user: alice, now: h.now))
        #expect(h.state.isHandRunning)
        #expect(h.state.handNumber == 2)
    }

    @Test("not_your_turn and invalid_action change nothing")
    func turnErrors() throws {
        var h = try headsUp()
        let before = h.state.hand?.actions
        #expect(throws: TableError.notYourTurn) { try h.act(bob, .call) }
        #expect(throws: TableError.invalidAction(reason: HandError.cannotCheck(owed: 1).reason)) { try h.act(alice, .check) }
        #expect(TableError.invalidAction(reason: HandError.cannotCheck(owed: 1).reason).message.hasPrefix("Invalid action: cannot check with active bet"))
        #expect(throws: TableError.invalidAction(reason: "timeout is not a player action")) { try h.act(alice, .timeout) }
        #expect(h.state.hand?.actions == before)
        #expect(h.toAct == alice)
    }

    @Test("a disconnect without grace leaves; with grace, only when the grace runs out")
    func reconnectGrace() throws {
        var h = try headsUp(testSettings(grace: 20_000))
        h.absorb(h.state.connect(user: alice, now: h.now))
        h.absorb(h.state.disconnect(user: alice, now: h.now))
        #expect(h.state.seat(of: alice)?.isConnected == false)
        h.advance(5_000)
        h.absorb(h.state.connect(user: alice, now: h.now))
        h.advance(30_000)
        #expect(h.state.seat(of: alice) != nil)
        h.absorb(h.state.disconnect(user: alice, now: h.now))
        h.advance(19_999)
        #expect(h.state.seat(of: alice) != nil)
        h.advance(1)
        #expect(h.state.seat(of: alice) == nil)
        #expect(h.cashOuts.contains { $0.user == alice && $0.reason == .disconnected })

        var g = try headsUp()
        g.absorb(g.state.disconnect(user: bob, now: g.now))
        #expect(g.state.seat(of: bob) == nil)
        #expect(g.cashOuts.contains { $0.user == bob && $0.reason == .disconnected })
        #expect(g.conserved())
    }

    @Test("settings changes wait for the hand boundary")
    func settingsAtBoundary() throws {
        var h = try headsUp()
        var new = testSettings()
        new.rules = GameRules(variant: .nlhe, smallBlind: 5, bigBlind: 10)
        h.absorb(try h.state.updateSettings(new, now: h.now))
        #expect(h.state.settings.bigBlind == 2)
        #expect(h.state.hand?.rules.bigBlind == 2)
        try h.act(alice, .fold)
        #expect(h.state.settings.bigBlind == 10)
        h.advance(1_000)
        #expect(h.state.hand?.rules.bigBlind == 10)
    }
}
