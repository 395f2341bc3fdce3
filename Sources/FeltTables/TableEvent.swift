import PokerEngine

/// A winner's share in a showdown or hand-finished event.
public struct WinnerShare: Sendable, Equatable, Hashable {
    public var seat: Int
    public var username: String
    public var amount: Int
    public init(seat: Int, username: String, amount: Int) {
        self.seat = seat; self.username = username; self.amount = amount
    }
}

/// Hole cards turned face up for everyone.
public struct ExposedHand: Sendable, Equatable, Hashable {
    public var seat: Int
    public var cards: [Card]
    public init(seat: Int, cards: [Card]) { self.seat = seat; self.cards = cards }
}

/// Public things that happened at a table (never private cards), rendered as
/// `{"type":"event","event":...}` messages shared by every viewer.
public enum TableEvent: Sendable, Equatable {
    /// A hand began.
    case handStarted(handNumber: Int, positions: HandPositions, seats: [Int])
    /// A blind or ante was posted.
    case forcedBet(handNumber: Int, ForcedBet)
    /// A player acted.
    case action(handNumber: Int, ActionRecord)
    /// Uncalled chips went back to a player.
    case uncalledBetReturned(handNumber: Int, Payout)
    /// A street was dealt: `cards` are the new cards, `board` the whole board.
    case street(handNumber: Int, street: Street, cards: [Card], board: [Card])
    /// All remaining hands were turned up (all in, no more betting).
    case handsExposed(handNumber: Int, hands: [ExposedHand])
    /// Showdown: hands shown (mucked ones without cards), pots and winners.
    case showdown(handNumber: Int, shown: [ShowdownHand], pots: [PotRecord], winners: [WinnerShare])
    /// The hand is over: totals won, rake and final stacks by seat.
    case handFinished(handNumber: Int, winners: [WinnerShare], rake: Int, stacks: [Int?])
    /// A player sat down.
    case playerJoined(seat: Int, username: String, stack: Int)
    /// A player left (the seat frees at once, or at the end of the hand for a leaver in a hand).
    case playerLeft(seat: Int, username: String, reason: CashOutReason)
    /// A player started or stopped sitting out.
    case sittingOut(seat: Int, username: String, isSittingOut: Bool)
}
