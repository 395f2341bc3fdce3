/// One seat at the start of a hand.
///
/// A seat is dealt in when it is sitting in with chips; empty seats are
/// `SeatSetup(stack: 0, sittingIn: false)` (see `.empty`).
public struct SeatSetup: Codable, Sendable, Equatable, Hashable {
    /// Chips in front of the player at the start of the hand.
    public var stack: Int
    /// Whether the player takes part in this hand.
    public var sittingIn: Bool

    /// Creates a seat.
    public init(stack: Int, sittingIn: Bool = true) {
        self.stack = stack
        self.sittingIn = sittingIn
    }

    /// An empty seat.
    public static let empty = SeatSetup(stack: 0, sittingIn: false)

    /// Whether this seat receives cards.
    public var isDealtIn: Bool { sittingIn && stack > 0 }
}

/// Where the button and blinds are for one hand.
///
/// The button may sit on a seat that is not dealt in (a dead button); `smallBlind` is
/// `nil` when no small blind is posted (a dead small blind under the moving-big-blind rule).
/// Heads-up, the button posts the small blind.
public struct HandPositions: Codable, Sendable, Equatable, Hashable {
    /// The button seat.
    public var button: Int
    /// The seat posting the small blind, or `nil` for none.
    public var smallBlind: Int?
    /// The seat posting the big blind.
    public var bigBlind: Int

    /// Creates positions.
    public init(button: Int, smallBlind: Int?, bigBlind: Int) {
        self.button = button
        self.smallBlind = smallBlind
        self.bigBlind = bigBlind
    }
}

/// A betting round.
public enum Street: String, Codable, Sendable, CaseIterable, Comparable {
    case preflop, flop, turn, river

    /// Board cards visible once this street is dealt.
    public var boardCount: Int {
        switch self {
        case .preflop: 0
        case .flop: 3
        case .turn: 4
        case .river: 5
        }
    }

    var order: Int {
        switch self {
        case .preflop: 0
        case .flop: 1
        case .turn: 2
        case .river: 3
        }
    }

    public static func < (lhs: Street, rhs: Street) -> Bool { lhs.order < rhs.order }
}
