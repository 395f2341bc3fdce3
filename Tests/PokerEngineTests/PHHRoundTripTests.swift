import FeltTestSupport
import Testing
@testable import PokerEngine

/// Random finished engine hands of all three variants, for PHH round trips.
enum PHHRandomHands {
    struct Setup {
        var rules: GameRules
        var seats: [SeatSetup]
        var positions: HandPositions
        var deck: [Card]
    }

    static func setup(using rng: inout SplitMix64) -> Setup? {
        let variant = [GameVariant.nlhe, .flhe, .plo][Int(rng.next() % 3)]
        let bigBlind = [2, 10, 100][Int(rng.next() % 3)]
        let smallBlind = [bigBlind / 2, bigBlind / 2, bigBlind, 0][Int(rng.next() % 4)]
        let anteAmount = max(1, bigBlind / [5, 10, 1][Int(rng.next() % 3)])
        let ante: Ante = [.none, .perPlayer(anteAmount), .bigBlind(bigBlind)][Int(rng.next() % 3)]
        let rake: RakeRule = rng.next() % 3 == 0
            ? RakeRule(basisPoints: [250, 500, 1000][Int(rng.next() % 3)], capPerHand: [0, 3 * bigBlind][Int(rng.next() % 2)],
                       noFlopNoDrop: rng.next() % 2 == 0)
            : .none
        let rules = GameRules(variant: variant, smallBlind: smallBlind, bigBlind: bigBlind, ante: ante,
                              raiseCap: [4, 3, nil][Int(rng.next() % 3)], rake: rake)
        let seatCount = 2 + Int(rng.next() % 9)
        var seats: [SeatSetup] = []
        repeat {
            seats = (0..<seatCount).map { _ in
                switch rng.next() % 10 {
                case 0: return .empty
                case 1: return SeatSetup(stack: 50 * bigBlind, sittingIn: false)
                case 2, 3: return SeatSetup(stack: 1 + Int(rng.next() % UInt64(3 * bigBlind)))  // very short
                default: return SeatSetup(stack: bigBlind * (5 + Int(rng.next() % 200)))
                }
            }
        } while seats.filter(\.isDealtIn).count < 2
        let dealtIn = seats.map(\.isDealtIn)
        let button = Int(rng.next() % UInt64(seatCount))
        var positions = HandPositions.standard(button: button, dealtIn: dealtIn)
        if rng.next() % 3 == 0 {
            // Positions that follow a hand with a different line-up: dead buttons and dead small blinds.
            let previousMask = (0..<seatCount).map { _ in rng.next() % 4 != 0 }
            if let previous = HandPositions.standard(button: button, dealtIn: previousMask),
               let next = previous.next(dealtIn: dealtIn) {
                positions = next
            }
        }
        var deck = Card.fullDeck
        deck.shuffle(using: &rng)
        guard let positions else { return nil }
        return Setup(rules: rules, seats: seats, positions: positions, deck: deck)
    }

    /// Plays a random hand to the end and returns its record.
    static func play(using rng: inout SplitMix64) -> HandRecord? {
        guard let s = setup(using: &rng), var state = try? HandState(rules: s.rules, seats: s.seats, positions: s.positions, deck: s.deck) else {
            return nil
        }
        while let actor = state.actor, let legal = state.legalActions() {
            let action = legal.randomAction(using: &rng)
            do { _ = try state.apply(action, by: actor) } catch { return nil }
        }
        return state.record
    }
}

@Suite struct PHHRoundTripTests {
    /// The record with seats that were not dealt in blanked (PHH lists only dealt-in players)
    /// and the fixed-limit-only settings of other variants at their defaults (they play no part).
    private func dealtInOnly(_ record: HandRecord) -> HandRecord {
        var r = record
        if r.rules.variant != .flhe {
            let defaults = GameRules(variant: r.rules.variant, smallBlind: r.rules.smallBlind, bigBlind: r.rules.bigBlind)
            r.rules.raiseCap = defaults.raiseCap
            r.rules.smallBet = defaults.smallBet
            r.rules.bigBet = defaults.bigBet
        }
        for i in r.seats.indices where !r.seats[i].dealtIn {
            r.seats[i] = SeatRecord(seat: i, startingStack: 0, dealtIn: false, holeCards: [], finalStack: 0)
        }
        return r
    }

    /// Names and values of the top-level fields that differ, for readable failures.
    private func differences(_ a: HandRecord?, _ b: HandRecord) -> String {
        guard let a else { return "replay did not finish" }
        let left = Mirror(reflecting: a).children, right = Array(Mirror(reflecting: b).children)
        return zip(left, right).compactMap { l, r in
            "\(l.value)" == "\(r.value)" ? nil : "\(l.label ?? "?"): \(l.value) vs \(r.value)"
        }.joined(separator: "\n")
    }

    private func replay(_ text: String) throws -> HandRecord? {
        let hands = try PHHFile.parse(text)
        #expect(hands.count == 1)
        let result = try PHHReplay.replay(hands[0].hand)
        return result.state.record
    }

    @Test func engineToPHHToEngineGivesIdenticalHandsForAllVariants() throws {
        var rng = SplitMix64(seed: 0xFE17)
        var played = 0, attempts = 0, byVariant: [GameVariant: Int] = [:], showdowns = 0, deadButtons = 0
        while played < 600, attempts < 1200 {
            attempts += 1
            guard let record = PHHRandomHands.play(using: &rng) else { continue }
            played += 1
            byVariant[record.rules.variant, default: 0] += 1
            if record.wentToShowdown { showdowns += 1 }
            if !record.seats[record.positions.button].dealtIn || record.positions.smallBlind == nil { deadButtons += 1 }
            let text = PHHHand(record: record, hand: .integer(played)).phhText
            let again = try replay(text)
            let same = again.map(dealtInOnly) == dealtInOnly(record)
            #expect(same, "hand \(played) differs after the round trip:\n\(differences(again.map(dealtInOnly), dealtInOnly(record)))\n\(text)")
            if !same { break }
        }
        #expect(played == 600, "the engine refused \(attempts - played) of \(attempts) random setups")
        #expect(byVariant.count == 3 && byVariant.values.allSatisfy { $0 > 100 })
        #expect(showdowns > 50 && deadButtons > 10)
    }

    @Test func deckIsRebuiltFromDealtCardsWhenTheFileHasNoDeck() throws {
        var rng = SplitMix64(seed: 77)
        var checked = 0, attempts = 0
        while checked < 300, attempts < 600 {
            attempts += 1
            guard let record = PHHRandomHands.play(using: &rng) else { continue }
            checked += 1
            var phh = PHHHand(record: record)
            phh.setField(PHHFeltField.deck, nil)
            phh.setField(PHHFeltField.deckSHA256, nil)
            guard let again = try replay(phh.phhText) else {
                Issue.record("replay did not finish")
                continue
            }
            var expected = dealtInOnly(record)
            var actual = dealtInOnly(again)
            // Undealt and burnt cards are unknown to a PHH file; everything else must match.
            expected.deck = []; expected.deckSHA256 = ""
            actual.deck = []; actual.deckSHA256 = ""
            #expect(actual == expected, "differs after the round trip:\n\(differences(actual, expected))\n\(phh.phhText)")
            if actual != expected { break }
        }
        #expect(checked == 300)
    }

    @Test func exportedHandListsPlayersFromTheSeatLeftOfTheButton() throws {
        // Seats 0…3, button on seat 2: players are seats 3, 0, 1, 2 (small blind first).
        let rules = GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2, ante: .perPlayer(1))
        let tableSeats = [SeatSetup(stack: 100), SeatSetup(stack: 200), SeatSetup(stack: 300), SeatSetup(stack: 400)]
        let positions = try #require(HandPositions.standard(button: 2, seats: tableSeats))
        let deck = try HandState.arrangeDeck(variant: .nlhe, seats: tableSeats, positions: positions,
                                             holeCards: [parseCards("2c 2d"), parseCards("7s 8s"), parseCards("Qd Qc"),
                                                         parseCards("Ah Kh")],
                                             board: parseCards("2h 3h 4h 5c 9d"))
        var state = try HandState(rules: rules, seats: tableSeats, positions: positions, deck: deck)
        let script: [(Int, PlayerAction)] = [
            (1, .raise(to: 6)),  // first left of the big blind (seat 0)
            (2, .fold),          // button
            (3, .call),          // small blind
            (0, .fold),          // big blind
            (3, .check), (1, .bet(10)), (3, .call),  // flop
            (3, .check), (1, .check),                // turn
            (3, .check), (1, .check),                // river
        ]
        for (seat, action) in script { try state.apply(action, by: seat) }
        let record = try #require(state.record)
        let phh = PHHHand(record: record, playerNames: [0: "Ann", 1: "Bob", 2: "Cy", 3: "Di"])
        #expect(phh.seats == [4, 1, 2, 3])
        #expect(phh.players == ["Di", "Ann", "Bob", "Cy"])
        #expect(phh.startingStacks == [400, 100, 200, 300])
        #expect(phh.antes == [1, 1, 1, 1])
        #expect(phh.blindsOrStraddles == [1, 2, 0, 0])
        #expect(phh.minBet == 2)
        #expect(phh.actions[0...3].map(\.description) == ["d dh p1 AhKh", "d dh p2 2c2d", "d dh p3 7s8s", "d dh p4 QdQc"])
        #expect(phh.actions[4...7].map(\.description) == ["p3 cbr 6", "p4 f", "p1 cc", "p2 f"])
        #expect(phh.actions[8...17].map(\.description) == [
            "d db 2h3h4h", "p1 cc", "p3 cbr 10", "p1 cc", "d db 5c", "p1 cc", "p3 cc", "d db 9d", "p1 cc", "p3 cc",
        ])
        #expect(phh.actions[18].description == "p1 sm AhKh")  // checked through: first left of the button shows first
        #expect(phh.finishingStacks == record.seats.map(\.finalStack).phhRotated(by: 3))
        #expect(phh.field(PHHFeltField.buttonSeat) == .integer(3))
    }

    @Test func headsUpBlindsAndAntesAreWrittenReversed() throws {
        // Heads-up: the button (seat 1) posts the small blind; PHH player 1 is the big blind.
        let rules = GameRules(variant: .nlhe, smallBlind: 5, bigBlind: 10, ante: .bigBlind(10))
        var state = try HandState(rules: rules, seats: [SeatSetup(stack: 500), SeatSetup(stack: 700)], button: 1,
                                  deck: Card.fullDeck)
        try state.apply(.fold, by: 1)
        let record = try #require(state.record)
        let phh = PHHHand(record: record)
        #expect(phh.seats == [1, 2])
        #expect(phh.startingStacks == [500, 700])
        #expect(phh.blindsOrStraddles == [5, 10])
        #expect(phh.antes == [0, 10])
        #expect(phh.actions.last?.description == "p2 f")
        let input = try phh.engineHand()
        #expect(input.positions == record.positions)
        #expect(input.rules == rules)
    }
}

extension Array {
    func phhRotated(by k: Int) -> [Element] {
        guard !isEmpty else { return self }
        let s = k % count
        return Array(self[s...] + self[..<s])
    }
}
