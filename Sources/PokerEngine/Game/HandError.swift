/// Why the engine rejected a request. Each case has a stable `code` and a readable `reason`.
public enum HandError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The table settings are invalid.
    case invalidRules(String)
    /// The seats, positions or deck do not describe a playable hand.
    case invalidSetup(String)
    /// Fewer than two players are dealt in.
    case notEnoughPlayers
    /// The hand has finished; no more actions.
    case handFinished
    /// A seat acted out of turn.
    case notYourTurn(seat: Int, actor: Int)
    /// Check while facing a bet.
    case cannotCheck(owed: Int)
    /// Fold with nothing to call.
    case cannotFold
    /// Bet or raise when raising is closed (all opponents all in, limit cap reached, or a short all-in did not reopen).
    case raiseNotAllowed(String)
    /// Bet or raise below the minimum without being all in.
    case raiseBelowMinimum(to: Int, minimum: Int)
    /// Bet or raise above the limit (pot limit, fixed size) .
    case raiseAboveMaximum(to: Int, maximum: Int)
    /// Bet or raise more than the player has.
    case raiseAboveStack(to: Int, allIn: Int)
    /// Bet or raise to no more than the current bet.
    case raiseNotAboveBet(to: Int, currentBet: Int)
    /// An all-in that is not allowed here (e.g. beyond the pot limit).
    case allInNotAllowed(String)
    /// `forfeit(seat:)` for a seat that cannot fold out of turn (not dealt in, folded, all in).
    case cannotForfeit(seat: Int, why: String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .invalidRules: "invalid_rules"
        case .invalidSetup: "invalid_setup"
        case .notEnoughPlayers: "not_enough_players"
        case .handFinished: "hand_finished"
        case .notYourTurn: "not_your_turn"
        case .cannotCheck: "cannot_check"
        case .cannotFold: "cannot_fold"
        case .raiseNotAllowed: "raise_not_allowed"
        case .raiseBelowMinimum: "raise_below_minimum"
        case .raiseAboveMaximum: "raise_above_maximum"
        case .raiseAboveStack: "raise_above_stack"
        case .raiseNotAboveBet: "raise_not_above_bet"
        case .allInNotAllowed: "all_in_not_allowed"
        case .cannotForfeit: "cannot_forfeit"
        }
    }

    /// Human-readable reason.
    public var reason: String {
        switch self {
        case .invalidRules(let why): "invalid rules: \(why)"
        case .invalidSetup(let why): "invalid hand setup: \(why)"
        case .notEnoughPlayers: "at least two players with chips must be sitting in"
        case .handFinished: "the hand is finished"
        case .notYourTurn(let seat, let actor): "not your turn: seat \(seat) acted but seat \(actor) is to act"
        case .cannotCheck(let owed): "cannot check with active bet: \(owed) to call"
        case .cannotFold: "cannot fold: nothing to call, check instead"
        case .raiseNotAllowed(let why): "cannot raise: \(why)"
        case .raiseBelowMinimum(let to, let minimum): "raise to \(to) is below the minimum raise to \(minimum)"
        case .raiseAboveMaximum(let to, let maximum): "raise to \(to) is above the maximum raise to \(maximum)"
        case .raiseAboveStack(let to, let allIn): "raise to \(to) is more than the stack allows (all in is \(allIn))"
        case .raiseNotAboveBet(let to, let currentBet): "raise to \(to) does not exceed the current bet of \(currentBet)"
        case .allInNotAllowed(let why): "cannot go all in: \(why)"
        case .cannotForfeit(let seat, let why): "seat \(seat) cannot fold out of turn: \(why)"
        }
    }

    public var description: String { reason }
}
