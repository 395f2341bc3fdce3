import Foundation
import FeltTestSupport
import Testing
@testable import PokerEngine

@Suite struct HandRecordTests {
    func playedHand(seed: UInt64) throws -> HandState {
        var rng = SplitMix64(seed: seed)
        var d = Card.fullDeck
        d.shuffle(using: &rng)
        let rules = GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2, ante: .perPlayer(1),
                              rake: RakeRule(basisPoints: 500, capPerHand: 5))
        var hand = try HandState(rules: rules, seats: seats([100, 50, 200, 80]), button: 2, deck: d)
        while let legal = hand.legalActions() { try hand.apply(legal.randomAction(using: &rng), by: legal.seat) }
        return hand
    }

    @Test func recordRoundTripsThroughJSONUnchanged() throws {
        for seed in 1...20 {
            let record = try #require(try playedHand(seed: UInt64(seed)).record)
            let data = try JSONEncoder().encode(record)
            let decoded = try JSONDecoder().decode(HandRecord.self, from: data)
            #expect(decoded == record)
            let text = String(decoding: data, as: UTF8.self)
            #expect(text.contains("\"deckSHA256\":\"\(record.deckSHA256)\""))
        }
    }

    @Test func recordHoldsEverythingAboutTheHand() throws {
        var hand = try makeHand(nlhe(ante: .perPlayer(1)), stacks: [100, 100, 100], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        hand.act(.raise(to: 6)); hand.act(.fold); hand.act(.call)
        while hand.actor != nil { hand.act(.check) }
        let record = try #require(hand.record)
        #expect(record.startingStacks == [100, 100, 100])
        #expect(record.seats.map(\.holeCards) == [parseCards("Ah Kd"), parseCards("7c 2d"), parseCards("Qh Qd")])
        #expect(record.forcedBets.map(\.kind) == [.ante, .ante, .ante, .smallBlind, .bigBlind])
        #expect(record.actions.map(\.kind) == [.raise, .fold, .call, .check, .check, .check, .check, .check, .check])
        #expect(record.board == parseCards("As 9c 5d 3h Jc"))
        #expect(record.pots == [PotRecord(amount: 16, eligible: [0, 2], rake: 0, winners: [Payout(seat: 0, amount: 16)])])
        #expect(record.showdown.map(\.seat) == [2, 0])
        #expect(record.winners == [Payout(seat: 0, amount: 16)])
        #expect(record.finalStacks == [109, 98, 93])
        #expect(record.deck == hand.deck)
        #expect(record.deckSHA256 == HandRecord.deckDigest(hand.deck))
        #expect(record.deckSHA256.count == 64)
    }

    @Test func deckDigestIsSHA256OfTheCardCodes() {
        // SHA-256("2c2d2h2s"), computed independently with sha256sum.
        #expect(HandRecord.deckDigest(parseCards("2c 2d 2h 2s")) == "5f9db4f1d921dd5f001dff221f6f26bee7836e8b45dae56329e92418953b76ff")
        #expect(HandRecord.deckDigest(Card.fullDeck) != HandRecord.deckDigest(Array(Card.fullDeck.reversed())))
        #expect(HandRecord.deckDigest([]) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func sameDeckAndActionsGiveTheSameHand() throws {
        let a = try playedHand(seed: 7)
        let b = try playedHand(seed: 7)
        #expect(a.record == b.record)
        #expect(a.events == b.events)
    }

    @Test func errorsLeaveTheStateUntouchedAndApplyingIsPure() throws {
        let hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0)
        let (next, events) = try hand.applying(.raise(to: 6), by: 0)
        #expect(hand.actor == 0 && hand.bets == [0, 1, 2])
        #expect(next.actor == 1 && next.bets == [6, 1, 2])
        #expect(events.count == 1)
        #expect(throws: HandError.handFinished) {
            var done = try makeHand(nlhe(), stacks: [100, 100], button: 0)
            try done.apply(.fold, by: 0)
            try done.apply(.check, by: 1)
        }
    }

    @Test func invalidSetupsAreRejectedWithReasons() {
        let d = Card.fullDeck
        #expect(throws: HandError.notEnoughPlayers) { try HandState(rules: nlhe(), seats: seats([100, 0]), button: 0, deck: d) }
        #expect(throws: HandError.invalidSetup("card 2c appears twice in the deck")) {
            try HandState(rules: nlhe(), seats: seats([100, 100]), button: 0, deck: [Card.fullDeck[0]] + d)
        }
        #expect(throws: HandError.invalidSetup("the deck has 5 cards; this hand needs at least 12")) {
            try HandState(rules: nlhe(), seats: seats([100, 100]), button: 0, deck: Array(d.prefix(5)))
        }
        #expect(throws: HandError.invalidRules("small blind must be between 0 and the big blind")) {
            try HandState(rules: nlhe(5, 2), seats: seats([100, 100]), button: 0, deck: d)
        }
        #expect(throws: HandError.invalidSetup("seat 1 has a stack outside 0...1000000000000")) {
            try HandState(rules: nlhe(), seats: seats([100, Int.max]), button: 0, deck: d)
        }
        #expect(throws: HandError.invalidRules("amounts must be at most 1000000000000 chips")) {
            try HandState(rules: nlhe(1, Int.max), seats: seats([100, 100]), button: 0, deck: d)
        }
        #expect(throws: HandError.invalidSetup("a table has 2 to 10 seats, got 11")) {
            try HandState(rules: nlhe(), seats: seats(Array(repeating: 100, count: 11)), button: 0, deck: d)
        }
    }
}
