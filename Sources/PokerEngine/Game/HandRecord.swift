/// The complete, stable history of one finished hand (JSON via `Codable`).
///
/// Seats are numbered from 0; every seat of the table appears in `seats`, dealt in or not.
/// Amounts are whole chips. Chip conservation: the sum of `startingStack` equals the sum
/// of `finalStack` plus `rake`.
public struct HandRecord: Codable, Sendable, Equatable, Hashable {
    /// Format version of this record (bumped only on incompatible changes).
    public var version: Int
    /// Table settings the hand was played under.
    public var rules: GameRules
    /// Button and blind seats.
    public var positions: HandPositions
    /// Every seat with its starting and final stack and hole cards.
    public var seats: [SeatRecord]
    /// Blinds and antes in the order posted.
    public var forcedBets: [ForcedBet]
    /// Every player action in order.
    public var actions: [ActionRecord]
    /// Board cards dealt (0, 3, 4 or 5).
    @CardsAsText public var board: [Card]
    /// Unmatched bets returned to their owners (never raked, not part of any pot).
    public var uncalledReturns: [Payout]
    /// Pots with eligibility, rake taken from each and who won them.
    public var pots: [PotRecord]
    /// Hands at showdown in showing order (empty when the hand was uncontested).
    public var showdown: [ShowdownHand]
    /// Total won per seat from the pots (after rake), ascending by seat.
    public var winners: [Payout]
    /// Total rake taken.
    public var rake: Int
    /// Whether the hand reached a showdown.
    public var wentToShowdown: Bool
    /// The deck order as dealt (cards are dealt from the front; see docs/engine.md).
    @CardsAsText public var deck: [Card]
    /// Lower-case hex SHA-256 of the deck order (`HandRecord.deckDigest`).
    public var deckSHA256: String

    /// Final stacks by seat.
    public var finalStacks: [Int] { seats.map(\.finalStack) }
    /// Starting stacks by seat.
    public var startingStacks: [Int] { seats.map(\.startingStack) }

    public init(version: Int = 1, rules: GameRules, positions: HandPositions, seats: [SeatRecord],
                forcedBets: [ForcedBet], actions: [ActionRecord], board: [Card], uncalledReturns: [Payout],
                pots: [PotRecord], showdown: [ShowdownHand], winners: [Payout], rake: Int,
                wentToShowdown: Bool, deck: [Card], deckSHA256: String) {
        self.version = version; self.rules = rules; self.positions = positions; self.seats = seats
        self.forcedBets = forcedBets; self.actions = actions; self.board = board
        self.uncalledReturns = uncalledReturns; self.pots = pots; self.showdown = showdown
        self.winners = winners; self.rake = rake; self.wentToShowdown = wentToShowdown
        self.deck = deck; self.deckSHA256 = deckSHA256
    }
}

/// One seat in a `HandRecord`.
public struct SeatRecord: Codable, Sendable, Equatable, Hashable {
    public var seat: Int
    /// Stack at the start of the hand.
    public var startingStack: Int
    /// Whether the seat was dealt in.
    public var dealtIn: Bool
    /// Hole cards (empty when not dealt in).
    @CardsAsText public var holeCards: [Card]
    /// Stack at the end of the hand.
    public var finalStack: Int

    public init(seat: Int, startingStack: Int, dealtIn: Bool, holeCards: [Card], finalStack: Int) {
        self.seat = seat; self.startingStack = startingStack; self.dealtIn = dealtIn
        self.holeCards = holeCards; self.finalStack = finalStack
    }
}

/// One pot in a `HandRecord`.
public struct PotRecord: Codable, Sendable, Equatable, Hashable {
    /// Chips in the pot before rake.
    public var amount: Int
    /// Seats that could win it, ascending.
    public var eligible: [Int]
    /// Rake taken from this pot.
    public var rake: Int
    /// Who won it and how much (sums to `amount - rake`).
    public var winners: [Payout]

    public init(amount: Int, eligible: [Int], rake: Int, winners: [Payout]) {
        self.amount = amount; self.eligible = eligible; self.rake = rake; self.winners = winners
    }
}
