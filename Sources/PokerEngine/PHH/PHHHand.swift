/// The PHH variant codes Felt plays.
public enum PHHVariant: String, Sendable, CaseIterable {
    /// `NT`: no-limit Texas hold'em.
    case noLimitTexasHoldem = "NT"
    /// `FT`: fixed-limit Texas hold'em.
    case fixedLimitTexasHoldem = "FT"
    /// `PO`: pot-limit Omaha hold'em.
    case potLimitOmahaHoldem = "PO"

    /// Whether the variant uses `small_bet`/`big_bet` rather than `min_bet`.
    public var isFixedLimit: Bool { self == .fixedLimitTexasHoldem }
}

/// One hand in the Poker Hand History format (https://phh.readthedocs.io).
///
/// Player arrays are in PHH order: player 1 (index 0) is the first seat left of the
/// button, the last player has the button. In heads-up hands PHH reverses `antes` and
/// `blinds_or_straddles`: index 0 is what the button (the last player) posts.
/// Chip amounts are whole numbers (Felt has integer chips only).
public struct PHHHand: Equatable, Sendable {
    public var variant: PHHVariant
    public var antes: [Int]
    public var blindsOrStraddles: [Int]
    /// `min_bet` (no-limit and pot-limit).
    public var minBet: Int?
    /// `small_bet` (fixed limit).
    public var smallBet: Int?
    /// `big_bet` (fixed limit).
    public var bigBet: Int?
    public var startingStacks: [Int]
    public var actions: [PHHAction]

    // Optional fields Felt reads and writes.
    /// `hand`: hand name or number.
    public var hand: TOMLValue?
    /// `table`: table name or number.
    public var table: TOMLValue?
    /// `seats`: each player's seat number (1-based).
    public var seats: [Int]?
    /// `seat_count`: number of seats at the table.
    public var seatCount: Int?
    /// `players`: player names.
    public var players: [String]?
    /// `finishing_stacks`: stacks after the hand.
    public var finishingStacks: [Int]?
    /// `winnings`: chips collected from the pots (after rake).
    public var winnings: [Int]?
    /// Every other field, kept verbatim in source order (including `_`-prefixed user fields).
    public var otherFields: [TOMLKeyValue]

    public init(variant: PHHVariant, antes: [Int], blindsOrStraddles: [Int], minBet: Int? = nil,
                smallBet: Int? = nil, bigBet: Int? = nil, startingStacks: [Int], actions: [PHHAction],
                hand: TOMLValue? = nil, table: TOMLValue? = nil, seats: [Int]? = nil, seatCount: Int? = nil,
                players: [String]? = nil, finishingStacks: [Int]? = nil, winnings: [Int]? = nil,
                otherFields: [TOMLKeyValue] = []) {
        self.variant = variant
        self.antes = antes
        self.blindsOrStraddles = blindsOrStraddles
        self.minBet = minBet
        self.smallBet = smallBet
        self.bigBet = bigBet
        self.startingStacks = startingStacks
        self.actions = actions
        self.hand = hand
        self.table = table
        self.seats = seats
        self.seatCount = seatCount
        self.players = players
        self.finishingStacks = finishingStacks
        self.winnings = winnings
        self.otherFields = otherFields
    }

    /// Number of players dealt in.
    public var playerCount: Int { startingStacks.count }

    /// The value of another (non-modelled) field, if present.
    public func field(_ key: String) -> TOMLValue? {
        otherFields.first(where: { $0.key == key })?.value
    }

    /// Sets or replaces another (non-modelled) field.
    public mutating func setField(_ key: String, _ value: TOMLValue?) {
        otherFields.removeAll { $0.key == key }
        if let value { otherFields.append(TOMLKeyValue(key: key, value: value)) }
    }

    /// A name for messages: the `hand` field if set, else `fallback`.
    public func displayName(fallback: String) -> String {
        switch hand {
        case .string(let s)?: s
        case .integer(let i)?: String(i)
        default: fallback
        }
    }
}
