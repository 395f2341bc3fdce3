import Foundation
import FeltTestSupport
import Testing
@testable import PokerEngine

/// `HandState.forfeit(seat:)`: a departing player's hand folded out of turn.
@Suite struct ForfeitTests {
    /// The last action recorded, failing the test when there is none.
    private func lastAction(_ state: HandState) throws -> ActionRecord {
        try #require(state.actions.last)
    }

    @Test func forfeitOutOfTurnWithNothingToCallFoldsAtOnceAndTheSeatCannotWin() throws {
        // Button 0, SB 1, BB 2. Seat 2 holds the nuts but leaves on the flop with nothing owed.
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0,
                                holes: ["7c 2h", "8d 3s", "As Ah"], board: "Ad Kc 9h 4s 5d")
        hand.act(.call)   // seat 0
        hand.act(.call)   // seat 1 completes
        hand.act(.check)  // seat 2, big blind
        #expect(hand.street == .flop)
        #expect(hand.actor == 1)

        let events = try hand.forfeit(seat: 2)
        #expect(hand.statuses[2] == .folded)
        #expect(hand.actor == 1, "the actor keeps the turn")
        #expect(hand.street == .flop)
        let fold = try lastAction(hand)
        #expect(fold.seat == 2 && fold.kind == .fold && fold.isForfeit && fold.street == .flop && fold.amount == 0)
        #expect(events.contains { if case .action(let a) = $0 { a.isForfeit } else { false } })

        // The others check it down; seat 2 is never asked to act again.
        while let legal = hand.legalActions() {
            #expect(legal.seat != 2)
            hand.act(.check)
        }
        let record = try #require(hand.record)
        #expect(record.pots.allSatisfy { !$0.eligible.contains(2) })
        #expect(record.pots.reduce(0) { $0 + $1.amount } == 6, "the forfeited big blind stays in the pot")
        #expect(record.seats[2].finalStack == 98)
        #expect(!record.winners.contains { $0.seat == 2 })
        #expect(record.showdown.map(\.seat).sorted() == [0, 1])
        #expect(record.finalStacks.reduce(0, +) == 300)
    }

    @Test func forfeitOfTheCurrentActorPassesTheActionOnExactlyAsAFold() throws {
        let start = try makeHand(nlhe(), stacks: [100, 100, 100, 100], button: 0)
        // Facing the big blind: forfeit == fold.
        let actor = try #require(start.actor)
        let folded = try start.applying(.fold, by: actor).state
        let forfeited = try start.forfeiting(seat: actor).state
        #expect(forfeited.actor == folded.actor)
        #expect(forfeited.statuses == folded.statuses)
        #expect(forfeited.stacks == folded.stacks)
        var plain = try lastAction(forfeited)
        #expect(plain.isForfeit)
        plain.forfeited = nil
        #expect(plain == (try lastAction(folded)))

        // With nothing to call (the flop), where `apply(.fold)` is refused.
        var hand = start
        while hand.street == .preflop { hand.act(.call) }
        let flopActor = try #require(hand.actor)
        #expect(throws: HandError.cannotFold) { _ = try hand.applying(.fold, by: flopActor) }
        try hand.forfeit(seat: flopActor)
        #expect(hand.statuses[flopActor] == .folded)
        #expect(hand.actor == hand.nextSeat(after: flopActor, .active))
        #expect(hand.street == .flop)
    }

    @Test func forfeitLeavingOnePlayerEndsTheHandUncontestedWithTheUncalledBetReturned() throws {
        // Button 0, SB 1, BB 2, UTG 3.
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100, 100], button: 0)
        hand.act(.raise(to: 10))  // seat 3
        hand.act(.fold)           // seat 0
        #expect(hand.actor == 1)
        try hand.forfeit(seat: 2)  // big blind leaves out of turn
        #expect(hand.actor == 1 && !hand.isFinished)
        try hand.forfeit(seat: 1)  // small blind leaves in turn
        #expect(hand.isFinished)
        let record = try #require(hand.record)
        #expect(record.uncalledReturns == [Payout(seat: 3, amount: 8)])
        #expect(record.winners == [Payout(seat: 3, amount: 5)])
        #expect(record.finalStacks == [100, 99, 98, 103])
        #expect(!record.wentToShowdown)
    }

    @Test func forfeitOfTheLastAggressorLeavesItsBetInThePot() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100, 100], button: 0)
        hand.act(.raise(to: 10))  // seat 3
        hand.act(.fold)           // seat 0
        hand.act(.fold)           // seat 1
        #expect(hand.actor == 2)
        try hand.forfeit(seat: 3)  // the raiser leaves: only the big blind is left
        #expect(hand.isFinished)
        let record = try #require(hand.record)
        #expect(record.uncalledReturns.isEmpty, "a forfeited bet is not returned")
        #expect(record.winners == [Payout(seat: 2, amount: 13)])
        #expect(record.finalStacks == [100, 99, 111, 90])
    }

    @Test func forfeitOfTheBigBlindBeforeItsOptionClosesThePreflopRoundOnTheCall() throws {
        // Button 0, SB 1, BB 2.
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        hand.act(.call)  // seat 0
        #expect(hand.actor == 1)
        try hand.forfeit(seat: 2)
        #expect(hand.actor == 1 && hand.street == .preflop)
        hand.act(.call)  // seat 1 completes: nobody is left to act preflop
        #expect(hand.street == .flop)
        #expect(hand.board.count == 3)
        #expect(hand.actor == 1)
        #expect(hand.totalPot == 6)
        #expect(hand.statuses == [.active, .active, .folded])
    }

    @Test func forfeitWhenTheOthersAreAllInRunsTheBoardOut() throws {
        // Button 0, SB 1, BB 2; seat 0 is all in preflop, seats 1 and 2 call.
        var hand = try makeHand(nlhe(), stacks: [50, 200, 200], button: 0,
                                holes: ["Kc Kd", "As Ah", "Qc Qd"], board: "2s 7h 9d Tc 3h")
        hand.act(.allIn)  // seat 0 to 50
        hand.act(.call)   // seat 1
        hand.act(.call)   // seat 2
        #expect(hand.street == .flop && hand.actor == 1)
        hand.act(.check)  // seat 1
        #expect(hand.actor == 2)
        try hand.forfeit(seat: 1)  // out of turn: only seat 2 can act and owes nothing
        #expect(hand.isFinished)
        #expect(hand.board.count == 5)
        #expect(hand.events.contains { if case .handsExposed(let s) = $0 { s == [0, 2] } else { false } })
        let record = try #require(hand.record)
        #expect(record.showdown.map(\.seat).sorted() == [0, 2])
        #expect(record.pots.count == 1 && record.pots[0].amount == 150 && record.pots[0].eligible == [0, 2])
        #expect(record.winners == [Payout(seat: 0, amount: 150)], "the kings beat the queens; the aces left")
        #expect(record.finalStacks == [150, 150, 150])
    }

    @Test func forfeitIsRefusedWithAClearErrorForAnAllInFoldedOrAbsentSeat() throws {
        var hand = try makeHand(nlhe(), stacks: [50, 200, 200], button: 0)
        hand.act(.allIn)  // seat 0
        hand.act(.fold)   // seat 1
        let before = hand.events.count
        #expect(!hand.canForfeit(seat: 0))
        do {
            try hand.forfeit(seat: 0)
            Issue.record("an all-in seat forfeited")
        } catch {
            #expect(error.code == "cannot_forfeit")
            #expect(error.reason.contains("all in"))
        }
        #expect(throws: HandError.cannotForfeit(seat: 1, why: "already folded")) { try hand.forfeit(seat: 1) }
        #expect(throws: HandError.self) { try hand.forfeit(seat: 7) }
        #expect(hand.events.count == before, "nothing changed")
        #expect(hand.statuses == [.allIn, .folded, .active])

        var withEmpty = try HandState(rules: nlhe(), seats: [SeatSetup(stack: 100), SeatSetup(stack: 0), SeatSetup(stack: 100)],
                                      button: 0, deck: Card.fullDeck)
        #expect(throws: HandError.cannotForfeit(seat: 1, why: "not dealt in")) { try withEmpty.forfeit(seat: 1) }

        hand.act(.call)  // seat 2 calls; the board runs out
        #expect(hand.isFinished)
        #expect(throws: HandError.handFinished) { try hand.forfeit(seat: 2) }
    }

    @Test func forfeitIsRecordedInJSONAsAnOptionalFieldOlderRecordsStillDecode() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        try hand.forfeit(seat: 2)
        hand.act(.fold)
        let record = try #require(hand.record)
        let json = try JSONEncoder().encode(record)
        let text = try #require(String(data: json, encoding: .utf8))
        #expect(text.components(separatedBy: "\"forfeited\"").count == 2, "only the forfeit carries the field")
        #expect(try JSONDecoder().decode(HandRecord.self, from: json) == record)

        let old = #"{"seat":1,"street":"preflop","kind":"fold","amount":0,"to":1,"isAllIn":false,"timedOut":false}"#
        let decoded = try JSONDecoder().decode(ActionRecord.self, from: Data(old.utf8))
        #expect(decoded.forfeited == nil && !decoded.isForfeit && decoded.kind == .fold)
    }

    @Test func forfeitSurvivesThePHHRoundTrip() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        hand.act(.call)
        hand.act(.call)
        hand.act(.check)
        try hand.forfeit(seat: 2)  // out of turn, nothing owed
        while hand.legalActions() != nil { hand.act(.check) }
        let record = try #require(hand.record)
        let text = PHHHand(record: record).phhText
        #expect(text.contains("p2 f # forfeit"), "seat 2 is PHH player 2 (players start left of the button)")
        let parsed = try PHHFile.parse(text)
        let replayed = try PHHReplay.replay(parsed[0].hand)
        #expect(replayed.state.record == record)
    }

    @Test func chipsAreConservedOverRandomHandsWithRandomForfeits() throws {
        var rng = SplitMix64(seed: 0xF0F)
        var forfeits = 0, outOfTurn = 0, roundTrips = 0
        for hands in 0..<1500 {
            let variant = GameVariant.allCases[hands % GameVariant.allCases.count]
            let players = 2 + Int(rng.next() % 8)
            var stacks: [Int] = []
            for _ in 0..<players {
                stacks.append(rng.next() % 5 == 0 ? 1 + Int(rng.next() % 30) : 20 + Int(rng.next() % 400))
            }
            let ante: Ante = rng.next() % 3 == 0 ? .perPlayer(1) : .none
            let rake = rng.next() % 2 == 0 ? RakeRule.none : RakeRule(basisPoints: 500, capPerHand: 7)
            let rules = GameRules(variant: variant, smallBlind: 1, bigBlind: 2, ante: ante, raiseCap: 4, rake: rake)
            var deck = Card.fullDeck
            deck.shuffle(using: &rng)
            var state = try HandState(rules: rules, seats: seats(stacks), button: Int(rng.next() % UInt64(players)), deck: deck)
            var stackAtForfeit: [Int: Int] = [:]
            var steps = 0
            while let legal = state.legalActions() {
                if rng.next() % 6 == 0 {
                    let seat = Int(rng.next() % UInt64(players))
                    let allowed = state.canForfeit(seat: seat)
                    let before = state.events.count
                    do {
                        try state.forfeit(seat: seat)
                        #expect(allowed)
                        stackAtForfeit[seat] = state.stacks[seat]
                        forfeits += 1
                        if seat != legal.seat { outOfTurn += 1 }
                    } catch {
                        #expect(!allowed && state.events.count == before)
                    }
                } else {
                    try state.apply(legal.randomAction(using: &rng), by: legal.seat)
                }
                #expect(state.stacks.allSatisfy { $0 >= 0 })
                let inMiddle = state.isFinished ? state.rake : state.totalPot
                #expect(state.stacks.reduce(0, +) + inMiddle == stacks.reduce(0, +))
                if let a = state.actor { #expect(state.statuses[a] == .active) }
                steps += 1
                if steps > 500 { Issue.record("hand did not end"); break }
            }
            #expect(state.isFinished)
            let record = try #require(state.record)
            #expect(record.finalStacks.reduce(0, +) + record.rake == stacks.reduce(0, +))
            #expect(record.pots.reduce(0) { $0 + $1.winners.reduce(0) { $0 + $1.amount } + $1.rake }
                    == record.pots.reduce(0) { $0 + $1.amount })
            for (seat, stack) in stackAtForfeit {
                #expect(record.seats[seat].finalStack == stack, "a forfeited seat gets nothing back")
                #expect(record.pots.allSatisfy { !$0.eligible.contains(seat) })
            }
            if !stackAtForfeit.isEmpty, hands % 5 == 0 {
                let parsed = try PHHFile.parse(PHHHand(record: record).phhText)
                let replayed = try PHHReplay.replay(parsed[0].hand)
                #expect(replayed.state.record?.actions == record.actions)
                #expect(replayed.state.record?.finalStacks == record.finalStacks)
                roundTrips += 1
            }
        }
        #expect(forfeits > 300 && outOfTurn > 100 && roundTrips > 20)
    }
}
