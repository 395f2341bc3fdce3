/// `tenants[].table_types[]`: the rules a table plays by.
public struct TableTypeConfig: Sendable, Equatable, Identifiable {
    /// Poker variant.
    public enum Variant: String, Sendable, Equatable, CaseIterable {
        /// No-limit Texas hold'em.
        case nlhe
        /// Pot-limit Omaha.
        case plo
        /// Fixed-limit Texas hold'em (small bet = big blind, big bet = 2 × big blind).
        case flhe
    }

    /// URL-safe id `[a-z0-9][a-z0-9_-]{0,63}`, unique within the tenant.
    public let id: String
    /// Display name (default: the id).
    public let name: String
    /// Variant.
    public let variant: Variant
    /// Blinds (small < big).
    public let blinds: Blinds
    /// Ante.
    public let ante: Ante
    /// Buy-in range (big blind ≤ min ≤ max).
    public let buyIn: BuyIn
    /// Seats, 2–10 (default 9).
    public let seats: Int
    /// Time to act (default 30s).
    public let actionTimeout: ConfigDuration
    /// Extra time bank per player (default 60s); also the bank's cap.
    public let timeBank: ConfigDuration
    /// Added to a player's time bank after each hand they were dealt into, up to `timeBank`
    /// (default 2s).
    public let timeBankRefill: ConfigDuration
    /// Rake.
    public let rake: Rake
    /// Private tables need this passphrase to join; `nil` means public.
    public let passphrase: SecretValue?

    /// Creates a table type.
    public init(id: String, name: String, variant: Variant, blinds: Blinds, ante: Ante, buyIn: BuyIn, seats: Int,
                actionTimeout: ConfigDuration, timeBank: ConfigDuration, rake: Rake, passphrase: SecretValue?,
                timeBankRefill: ConfigDuration = .seconds(2)) {
        self.id = id
        self.name = name
        self.variant = variant
        self.blinds = blinds
        self.ante = ante
        self.buyIn = buyIn
        self.seats = seats
        self.actionTimeout = actionTimeout
        self.timeBank = timeBank
        self.timeBankRefill = timeBankRefill
        self.rake = rake
        self.passphrase = passphrase
    }

    /// Whether joining needs a passphrase.
    public var isPrivate: Bool { passphrase != nil }

    /// Small and big blind in chips.
    public struct Blinds: Sendable, Equatable {
        /// Small blind (≥ 1).
        public let small: Int64
        /// Big blind (> small).
        public let big: Int64
        /// Creates blinds.
        public init(small: Int64, big: Int64) { self.small = small; self.big = big }
    }

    /// The ante rule.
    public enum Ante: Sendable, Equatable {
        /// No ante (default).
        case none
        /// Every dealt-in player posts `amount`.
        case perPlayer(Int64)
        /// The big-blind player posts `amount` for the table.
        case bigBlind(Int64)

        /// The ante amount (0 for `.none`).
        public var amount: Int64 {
            switch self {
            case .none: 0
            case .perPlayer(let amount), .bigBlind(let amount): amount
            }
        }
    }

    /// Buy-in range in chips.
    public struct BuyIn: Sendable, Equatable {
        /// Minimum (default 20 big blinds).
        public let min: Int64
        /// Maximum (default 100 big blinds).
        public let max: Int64
        /// Creates a range.
        public init(min: Int64, max: Int64) { self.min = min; self.max = max }
    }

    /// Rake taken from each pot.
    public struct Rake: Sendable, Equatable {
        /// Percentage in basis points (0–1000, i.e. 0–10 %); default 0.
        public let basisPoints: Int
        /// Most chips raked from one pot (0 = no cap); default 0.
        public let cap: Int64
        /// No rake when the hand ends before the flop (default true).
        public let noFlopNoDrop: Bool
        /// Creates a rake.
        public init(basisPoints: Int, cap: Int64, noFlopNoDrop: Bool) {
            self.basisPoints = basisPoints
            self.cap = cap
            self.noFlopNoDrop = noFlopNoDrop
        }
        /// No rake (0 %, no cap, no flop no drop).
        public static let zero = Rake(basisPoints: 0, cap: 0, noFlopNoDrop: true)
    }
}

/// `tenants[].tables[]`, resolved: every table carries its full table type.
public struct TableConfig: Sendable, Equatable, Identifiable {
    /// Stable URL-safe id (explicit, or `<type>-<n>` from `count:`), unique within the tenant.
    public let id: String
    /// Display name (explicit; `NAME N` for `count:` entries; default: the id).
    public let name: String
    /// The table's type.
    public let type: TableTypeConfig

    /// Creates a table.
    public init(id: String, name: String, type: TableTypeConfig) {
        self.id = id
        self.name = name
        self.type = type
    }
}
