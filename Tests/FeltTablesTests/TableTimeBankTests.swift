import Foundation
import Testing
import PokerEngine
@testable import FeltTables

/// The time bank rule: per player and seat, used only once the action timeout ran out, what
/// a turn uses is gone, and after every hand the player was dealt into it grows by
/// `timeBankRefillMillis` up to `timeBankMillis`; a new seat starts full.
@Suite("Time bank refill")
struct TableTimeBankTests {
    /// 10 s to act, a 5 s bank refilled by `refill` a hand.
    func settings(refill: Int64, seats: Int = 6) -> TableSettings {
        var s = testSettings(seats: seats, timeBank: 5_000)
        s.timeBankRefillMillis = refill
        return s
    }

    /// Heads-up, first hand: seat 0 (alice) is button and small blind and acts first.
    func headsUp(refill: Int64) throws -> Harness {
        var h = try Harness(settings(refill: refill))
        try h.join(alice, 200); try h.join(bob, 200)
        return h
    }

    func bank(_ h: Harness, _ user: UserID) -> Int64? { h.state.seats.compactMap { $0 }.first { $0.user == user }?.timeBankLeft }

    /// Everyone checks or calls at once until the running hand ends.
    func playOut(_ h: inout Harness) throws {
        var steps = 0
        while let u = h.toAct {
            steps += 1
            try #require(steps < 100)
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(u, legal.canCheck ? .check : .call)
        }
    }

    /// Waits out the pause: the next hand starts.
    func nextHand(_ h: inout Harness) throws {
        let before = h.state.handNumber
        h.advance(1_000)
        try #require(h.state.handNumber == before + 1)
    }

    @Test("a bank spent to the timeout grows by the refill after each hand, up to the cap")
    func refillAfterEachHandUpToTheCap() throws {
        var h = try headsUp(refill: 2_000)
        h.advance(10_000)                               // action timeout: the bank starts
        #expect(h.state.actionDeadline == t0 + 15_000)
        h.advance(5_000)                                // bank spent: alice folds, hand 1 ends
        #expect(h.hands.count == 1)
        #expect(bank(h, alice) == 2_000)                // 0 + 2 s
        #expect(bank(h, bob) == 5_000)                  // unused: stays at the cap
        try nextHand(&h)
        try playOut(&h)
        #expect(bank(h, alice) == 4_000)
        try nextHand(&h)
        try playOut(&h)
        #expect(bank(h, alice) == 5_000)                // 6 s capped at 5 s
        #expect(bank(h, bob) == 5_000)
    }

    @Test("part of the bank used on an action is deducted, and refilled when the hand ends")
    func partialUseThenRefill() throws {
        var h = try headsUp(refill: 1_000)
        h.advance(13_000)                               // 3 s into alice's bank
        try h.act(alice, .call)
        #expect(bank(h, alice) == 2_000)
        #expect(h.state.actionDeadline == h.now + 10_000)   // bob's fresh turn, bank not started
        #expect(h.state.turnUsesTimeBank == false)
        try playOut(&h)
        #expect(h.hands.count == 1)
        #expect(bank(h, alice) == 3_000)
    }

    @Test("no refill configured: a spent bank stays spent across hands")
    func noRefill() throws {
        var h = try headsUp(refill: 0)
        h.advance(15_000)                               // alice times out after her whole bank
        #expect(bank(h, alice) == 0)
        try nextHand(&h)
        try playOut(&h)
        try nextHand(&h)
        try playOut(&h)
        #expect(bank(h, alice) == 0)
        #expect(bank(h, bob) == 5_000)
        // With an empty bank the turn ends at the action timeout.
        try nextHand(&h)
        if h.toAct != alice { try h.act(try #require(h.toAct), .call) }
        #expect(h.toAct == alice)
        #expect(h.state.actionDeadline == h.now + 10_000)
        h.advance(10_000)
        #expect(h.state.seat(of: alice)?.consecutiveTimeouts == 1)
        #expect(h.state.hand?.actions.last?.timedOut == true)
    }

    @Test("a player sitting out is not dealt in and gets no refill")
    func sittingOutGetsNoRefill() throws {
        var h = try Harness(settings(refill: 2_000))
        try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
        let first = try #require(h.toAct)
        h.advance(13_000)                               // 3 s of the first player's bank
        try h.act(first, .call)
        #expect(bank(h, first) == 2_000)
        let effects = try h.state.sitOut(user: first, now: h.now)
        h.absorb(effects)
        try playOut(&h)                                 // dealt into this hand: refilled
        #expect(bank(h, first) == 4_000)
        try nextHand(&h)
        #expect(h.state.seat(of: first)?.inHand == false)
        try playOut(&h)
        #expect(bank(h, first) == 4_000)                // not dealt in: unchanged
    }

    @Test("leaving and joining again starts with a full bank")
    func rejoinStartsFull() throws {
        var h = try headsUp(refill: 0)
        h.advance(15_000)
        #expect(bank(h, alice) == 0)
        try h.leave(alice)
        try h.join(alice, 200)
        #expect(bank(h, alice) == 5_000)
    }

    @Test("the game view's action deadline moves by the bank when the action timeout passes")
    func viewDeadlineReflectsTheBank() throws {
        var h = try headsUp(refill: 2_000)
        let seat = try #require(h.state.seatToAct)
        let before = parse(h.state.gameView(for: seat))
        #expect(before["action_deadline"] as? Int == Int(t0 + 10_000))
        #expect(players(before)[seat]?["time_bank"] as? Int == 5_000)
        h.advance(10_000)
        let banked = parse(h.state.gameView(for: seat))
        #expect(banked["seat_to_act"] as? Int == seat)
        #expect(banked["action_deadline"] as? Int == Int(t0 + 15_000))
        h.advance(5_000)                                // the bank ran out: folded, hand over
        try nextHand(&h)
        let next = parse(h.state.gameView(for: seat))
        #expect(players(next)[seat]?["time_bank"] as? Int == 2_000)
    }

    @Test("settings refuse a negative refill")
    func negativeRefillIsInvalid() {
        var s = settings(refill: 0)
        s.timeBankRefillMillis = -1
        #expect(throws: TableSettingsError.self) { try s.validate() }
    }
}
