/// The kind of forced bet.
public enum ForcedBetKind: String, Codable, Sendable, Equatable, Hashable {
    case smallBlind = "small_blind"
    case bigBlind = "big_blind"
    case ante
}

/// A blind or ante actually posted (possibly short, all in).
public struct ForcedBet: Codable, Sendable, Equatable, Hashable {
    public var seat: Int
    public var kind: ForcedBetKind
    /// Chips posted.
    public var amount: Int
    /// The post put the player all in.
    public var isAllIn: Bool

    public init(seat: Int, kind: ForcedBetKind, amount: Int, isAllIn: Bool) {
        self.seat = seat; self.kind = kind; self.amount = amount; self.isAllIn = isAllIn
    }
}

/// One player action as applied.
public struct ActionRecord: Codable, Sendable, Equatable, Hashable {
    public var seat: Int
    public var street: Street
    public var kind: ActionKind
    /// Chips this action added to the player's bet (0 for fold and check).
    public var amount: Int
    /// The player's total bet on this street after the action (the raise-to for bets and raises).
    public var to: Int
    /// The action put the player all in.
    public var isAllIn: Bool
    /// The action was the timeout default (check or fold).
    public var timedOut: Bool
    /// `true` for a fold made out of turn by a departing player (`HandState.forfeit(seat:)`);
    /// `nil` otherwise. Optional so JSON without the key (older records) still decodes, and
    /// ordinary actions encode without it.
    public var forfeited: Bool?

    public init(seat: Int, street: Street, kind: ActionKind, amount: Int, to: Int, isAllIn: Bool, timedOut: Bool,
                forfeited: Bool? = nil) {
        self.seat = seat; self.street = street; self.kind = kind; self.amount = amount
        self.to = to; self.isAllIn = isAllIn; self.timedOut = timedOut; self.forfeited = forfeited
    }

    /// Whether this is a forfeit (a fold out of turn by a departing player).
    public var isForfeit: Bool { forfeited == true }
}

/// A pot (main or side) and who may win it.
public struct Pot: Codable, Sendable, Equatable, Hashable {
    /// Chips in the pot (before rake).
    public var amount: Int
    /// Seats that can win it (not folded, contributed to its level), ascending.
    public var eligible: [Int]

    public init(amount: Int, eligible: [Int]) { self.amount = amount; self.eligible = eligible }
}

/// Chips paid to a seat.
public struct Payout: Codable, Sendable, Equatable, Hashable {
    public var seat: Int
    public var amount: Int

    public init(seat: Int, amount: Int) { self.seat = seat; self.amount = amount }
}

/// A hand at showdown: shown or mucked.
public struct ShowdownHand: Codable, Sendable, Equatable, Hashable {
    public var seat: Int
    /// The hole cards (kept in the record even when mucked, for audits; views hide mucked cards).
    @CardsAsText public var cards: [Card]
    /// Whether the cards were shown (false = mucked).
    public var shown: Bool
    /// Hand strength class (1…7462, higher wins).
    public var strength: Int
    /// Hand category name, e.g. "two_pair".
    public var category: String

    public init(seat: Int, cards: [Card], shown: Bool, strength: HandStrength) {
        self.seat = seat
        self.cards = cards
        self.shown = shown
        self.strength = Int(strength.value)
        self.category = strength.category.name
    }
}

extension HandCategory {
    /// Stable snake_case name, e.g. `"straight_flush"`.
    public var name: String {
        switch self {
        case .highCard: "high_card"
        case .onePair: "one_pair"
        case .twoPair: "two_pair"
        case .threeOfAKind: "three_of_a_kind"
        case .straight: "straight"
        case .flush: "flush"
        case .fullHouse: "full_house"
        case .fourOfAKind: "four_of_a_kind"
        case .straightFlush: "straight_flush"
        }
    }
}

/// Something that happened in a hand, in order. The state's `events` keeps all of them.
///
/// Hole cards are not in the events (they are private): read them with
/// `HandState.holeCards(of:)` or through `HandState.view(for:)`.
public enum HandEvent: Sendable, Equatable, Hashable {
    /// The hand began with these positions.
    case handStarted(HandPositions)
    /// A blind or ante was posted.
    case forcedBet(ForcedBet)
    /// Hole cards were dealt to a seat.
    case holeCardsDealt(seat: Int)
    /// A player acted.
    case action(ActionRecord)
    /// The unmatched part of a bet went back to its owner.
    case uncalledBetReturned(Payout)
    /// Board cards were dealt (only the new ones).
    case streetDealt(Street, cards: [Card])
    /// Every remaining hand was turned face up because no more betting is possible.
    case handsExposed(seats: [Int])
    /// The pots as formed at the end of the hand.
    case potsFormed([Pot])
    /// A player showed or mucked at showdown.
    case showdown(ShowdownHand)
    /// A pot (by index) or part of it was paid to a seat.
    case potAwarded(pot: Int, payout: Payout)
    /// The house took rake.
    case rakeTaken(Int)
    /// The hand is over.
    case handFinished
}
