import Testing
@testable import PokerEngine

@Suite struct HandViewTests {
    @Test func viewerSeesOwnHoleCardsOnlyUntilShowdown() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 100], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        let mine = hand.view(for: 1)
        #expect(mine.seats[1].cards == parseCards("7c 2d"))
        #expect(mine.seats[0].cards.isEmpty && mine.seats[0].hasHiddenCards)
        #expect(mine.legal == nil, "seat 0 is to act, not the viewer")
        #expect(hand.view(for: 0).legal?.seat == 0)
        let spectator = hand.view(for: nil)
        #expect(spectator.seats.allSatisfy { $0.cards.isEmpty })
        #expect(spectator.totalPot == 3 && spectator.board.isEmpty)
        hand.act(.call); hand.act(.call); hand.act(.check)
        #expect(hand.view(for: nil).board == parseCards("As 9c 5d"))
        while hand.actor != nil { hand.act(.check) }
        let after = hand.view(for: nil)
        #expect(after.isFinished)
        #expect(after.seats[0].cards == parseCards("Ah Kd"), "the winner showed")
        let shownCount = after.showdown.filter(\.shown).count
        #expect(after.seats.filter { !$0.cards.isEmpty }.count == shownCount)
    }

    @Test func allInRunoutExposesEveryLiveHandToEveryone() throws {
        var hand = try makeHand(nlhe(), stacks: [100, 100, 300], button: 0,
                                holes: ["Ah Kd", "7c 2d", "Qh Qd"], board: "As 9c 5d 3h Jc")
        hand.act(.allIn); hand.act(.allIn); hand.act(.call)
        let spectator = hand.view(for: nil)
        #expect(spectator.seats.map(\.cards) == [parseCards("Ah Kd"), parseCards("7c 2d"), parseCards("Qh Qd")])
    }

    @Test func arrangeDeckDealsRequestedCardsAndFillsTheRest() throws {
        let setups = seats([100, 100, 100])
        let pos = HandPositions(button: 0, smallBlind: 1, bigBlind: 2)
        let deck = try HandState.arrangeDeck(variant: .nlhe, seats: setups, positions: pos,
                                             holeCards: [parseCards("Ah Kd"), [], parseCards("Qh Qd")], board: parseCards("As 9c"))
        #expect(Set(deck).count == 52 && deck.count == 52)
        let hand = try HandState(rules: nlhe(), seats: setups, positions: pos, deck: deck)
        #expect(hand.holeCards(of: 0) == parseCards("Ah Kd") && hand.holeCards(of: 2) == parseCards("Qh Qd"))
        #expect(throws: HandError.invalidSetup("card Ah is used twice")) {
            try HandState.arrangeDeck(variant: .nlhe, seats: setups, positions: pos,
                                      holeCards: [parseCards("Ah Kd"), parseCards("Ah 2c")], board: [])
        }
        #expect(throws: HandError.invalidSetup("seat 0 needs 4 hole cards, got 2")) {
            try HandState.arrangeDeck(variant: .plo, seats: setups, positions: pos, holeCards: [parseCards("Ah Kd")], board: [])
        }
    }
}
