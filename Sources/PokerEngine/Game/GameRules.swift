/// The poker game played at a table.
public enum GameVariant: String, Codable, Sendable, CaseIterable {
    /// No-limit Texas hold'em: two hole cards, any bet up to the whole stack.
    case nlhe
    /// Pot-limit Omaha: four hole cards, exactly two used with three board cards; bets capped by the pot.
    case plo
    /// Fixed-limit Texas hold'em: bets in fixed small/big bet sizes with a raise cap.
    case flhe

    /// Number of hole cards each player receives.
    public var holeCardCount: Int { self == .plo ? 4 : 2 }
}

/// The ante structure of a table.
public enum Ante: Sendable, Equatable, Hashable {
    /// No ante.
    case none
    /// Every dealt player posts this ante (before the blinds).
    case perPlayer(Int)
    /// The big blind posts one ante of this size for the whole table (after the big blind itself).
    case bigBlind(Int)

    /// The ante amount (0 for `.none`).
    public var amount: Int {
        switch self {
        case .none: 0
        case .perPlayer(let a), .bigBlind(let a): a
        }
    }
}

extension Ante: Codable {
    enum CodingKeys: String, CodingKey { case type, amount }

    /// Decodes `{"type":"none"}`, `{"type":"per_player","amount":N}` or `{"type":"big_blind","amount":N}`.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let type = try c.decode(String.self, forKey: .type)
        switch type {
        case "none": self = .none
        case "per_player": self = .perPlayer(try c.decode(Int.self, forKey: .amount))
        case "big_blind": self = .bigBlind(try c.decode(Int.self, forKey: .amount))
        default:
            throw DecodingError.dataCorruptedError(forKey: .type, in: c,
                debugDescription: "ante type must be none, per_player or big_blind")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .none: try c.encode("none", forKey: .type)
        case .perPlayer(let a): try c.encode("per_player", forKey: .type); try c.encode(a, forKey: .amount)
        case .bigBlind(let a): try c.encode("big_blind", forKey: .type); try c.encode(a, forKey: .amount)
        }
    }
}

/// How the house takes its rake.
public struct RakeRule: Codable, Sendable, Equatable, Hashable {
    /// Rake as a fraction of the pot in basis points (500 = 5 %). Rounded down to whole chips.
    public var basisPoints: Int
    /// Most the house takes from one hand (0 = no cap).
    public var capPerHand: Int
    /// When true, hands that end before the flop are not raked.
    public var noFlopNoDrop: Bool

    /// Creates a rake rule.
    public init(basisPoints: Int, capPerHand: Int, noFlopNoDrop: Bool = true) {
        self.basisPoints = basisPoints
        self.capPerHand = capPerHand
        self.noFlopNoDrop = noFlopNoDrop
    }

    /// No rake at all.
    public static let none = RakeRule(basisPoints: 0, capPerHand: 0, noFlopNoDrop: true)
}

/// The table-type settings a hand is played under: variant, stakes, antes, limits, rake.
public struct GameRules: Codable, Sendable, Equatable, Hashable {
    /// The game.
    public var variant: GameVariant
    /// Small blind (may be 0 for no small blind).
    public var smallBlind: Int
    /// Big blind (at least 1).
    public var bigBlind: Int
    /// Ante structure.
    public var ante: Ante
    /// Fixed limit: bet size preflop and on the flop (defaults to the big blind).
    public var smallBet: Int
    /// Fixed limit: bet size on the turn and river (defaults to twice the big blind).
    public var bigBet: Int
    /// Fixed limit: most bets+raises per round (the opening bet, or the big blind preflop,
    /// counts as one); `nil` = uncapped. The cap never applies when a round starts heads-up.
    public var raiseCap: Int?
    /// Rake.
    public var rake: RakeRule

    /// Creates rules; fixed-limit bet sizes default to the big blind and twice the big blind.
    public init(variant: GameVariant, smallBlind: Int, bigBlind: Int, ante: Ante = .none,
                smallBet: Int? = nil, bigBet: Int? = nil, raiseCap: Int? = 4, rake: RakeRule = .none) {
        self.variant = variant
        self.smallBlind = smallBlind
        self.bigBlind = bigBlind
        self.ante = ante
        self.smallBet = smallBet ?? bigBlind
        let doubled = (smallBet ?? bigBlind).multipliedReportingOverflow(by: 2)
        self.bigBet = bigBet ?? (doubled.overflow ? Int.max : doubled.partialValue)
        self.raiseCap = raiseCap
        self.rake = rake
    }

    /// Largest chip amount (stack, blind, ante, bet size) the engine accepts: 10^12, so that sums
    /// over ten seats and rake arithmetic can never overflow.
    public static let maxChips = 1_000_000_000_000

    /// Checks the settings, throwing `HandError.invalidRules` with the reason.
    public func validate() throws(HandError) {
        guard max(smallBlind, bigBlind, ante.amount, smallBet, bigBet, rake.capPerHand) <= Self.maxChips else {
            throw .invalidRules("amounts must be at most \(Self.maxChips) chips")
        }
        guard bigBlind >= 1 else { throw .invalidRules("big blind must be at least 1") }
        guard smallBlind >= 0, smallBlind <= bigBlind else {
            throw .invalidRules("small blind must be between 0 and the big blind")
        }
        guard ante.amount >= 0 else { throw .invalidRules("ante must not be negative") }
        if variant == .flhe {
            guard smallBet >= 1, bigBet >= smallBet else {
                throw .invalidRules("fixed-limit bet sizes must be positive with big bet >= small bet")
            }
            if let cap = raiseCap, cap < 1 { throw .invalidRules("raise cap must be at least 1") }
        }
        guard rake.basisPoints >= 0, rake.basisPoints <= 10_000, rake.capPerHand >= 0 else {
            throw .invalidRules("rake must be 0...10000 basis points with a non-negative cap")
        }
    }
}
