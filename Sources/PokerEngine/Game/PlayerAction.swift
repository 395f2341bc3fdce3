/// A decision by the player to act.
///
/// Bet and raise amounts are "raise-to" totals for the street: the player's whole bet on this
/// street after the action, not the increment. `bet` and `raise` are interchangeable.
public enum PlayerAction: Sendable, Equatable, Hashable {
    /// Give up the hand.
    case fold
    /// Pass when nothing is owed.
    case check
    /// Match the current bet (or go all-in for less). With nothing owed it is a check.
    case call
    /// Open the betting to this street total.
    case bet(Int)
    /// Raise to this street total.
    case raise(to: Int)
    /// Put the whole stack in (a call or a raise, whichever it amounts to).
    case allIn
    /// The turn clock ran out: check when legal, otherwise fold.
    case timeout
}

/// What kind of action a player took, as recorded.
public enum ActionKind: String, Codable, Sendable, Equatable, Hashable {
    case fold, check, call, bet, raise
}

/// The legal-action envelope for the player to act.
public struct LegalActions: Codable, Sendable, Equatable, Hashable {
    /// The seat to act.
    public var seat: Int
    /// Folding is allowed (only when there is something to call; with nothing owed, check).
    public var canFold: Bool
    /// Checking is allowed (nothing to call).
    public var canCheck: Bool
    /// Chips needed to call (0 when checking); when the stack is short this is the all-in call.
    public var callAmount: Int
    /// Whether the player may bet or raise at all.
    public var canRaise: Bool
    /// Smallest legal bet/raise-to total (already capped at the all-in amount).
    public var minRaiseTo: Int
    /// Largest legal bet/raise-to total (all-in in no limit, pot in pot limit, the fixed size in limit).
    public var maxRaiseTo: Int
    /// True when the street has no bet yet (the aggressive action is a bet, not a raise).
    public var isBet: Bool
    /// The player's bet so far this street.
    public var currentBet: Int
    /// The player's remaining stack.
    public var stack: Int

    /// The player's all-in street total.
    public var allInTo: Int { currentBet + stack }
}
