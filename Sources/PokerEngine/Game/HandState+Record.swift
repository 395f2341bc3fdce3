extension HandState {
    /// Stacks by seat right now.
    public var stacks: [Int] { seats.map(\.stack) }
    /// Current-street bets by seat.
    public var bets: [Int] { seats.map(\.bet) }
    /// Starting stacks by seat.
    public var startingStacks: [Int] { seats.map(\.startingStack) }
    /// Status of every seat.
    public var statuses: [SeatStatus] { seats.map(\.status) }
    /// Total chips each seat put in this hand (antes, blinds, bets), less returned chips.
    public var contributions: [Int] { seats.map(\.committed) }
    /// Chips won from pots by seat (after rake); zero until the hand finishes.
    public var winnings: [Int] { seats.map(\.won) }
    /// Rake taken (zero until the hand finishes).
    public var rake: Int { rakeTaken }
    /// The highest bet on this street (for a big blind posted short, the full big blind).
    public var streetBet: Int { currentBet }
    /// Hands shown or mucked at showdown, in showing order.
    public var showdown: [ShowdownHand] { showdownHands }
    /// Uncalled bets returned so far.
    public var returnedBets: [Payout] { uncalledReturns }
    /// Pots with rake and winners once the hand is finished.
    public var awardedPots: [PotRecord] { finalPots }

    /// Blinds and antes posted, in order.
    public var forcedBets: [ForcedBet] {
        events.compactMap { if case .forcedBet(let f) = $0 { f } else { nil } }
    }

    /// Player actions so far, in order.
    public var actions: [ActionRecord] {
        events.compactMap { if case .action(let a) = $0 { a } else { nil } }
    }

    /// The complete record of the hand, once it is finished (`nil` before).
    public var record: HandRecord? {
        guard isFinished else { return nil }
        let seatRecords = seats.indices.map { i in
            SeatRecord(seat: i, startingStack: seats[i].startingStack, dealtIn: seats[i].status != .out,
                       holeCards: holeCards(of: i), finalStack: seats[i].stack)
        }
        var winners: [Payout] = []
        for (i, s) in seats.enumerated() where s.won > 0 { winners.append(Payout(seat: i, amount: s.won)) }
        return HandRecord(rules: rules, positions: positions, seats: seatRecords, forcedBets: forcedBets,
                          actions: actions, board: board, uncalledReturns: uncalledReturns, pots: finalPots,
                          showdown: showdownHands, winners: winners, rake: rakeTaken,
                          wentToShowdown: !showdownHands.isEmpty, deck: deck,
                          deckSHA256: HandRecord.deckDigest(deck))
    }
}
