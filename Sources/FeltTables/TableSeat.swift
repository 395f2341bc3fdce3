/// One occupied seat at a table.
public struct TableSeat: Sendable, Equatable, Hashable {
    /// Where the seat stands between and during hands.
    public enum Phase: Sendable, Equatable, Hashable {
        /// The buy-in is being moved by the ledger; the seat is held but not playing yet.
        case reserved
        /// Seated and playing (dealt in when sitting in with chips).
        case seated
        /// The player left during a hand they were dealt into: their cards are dead, their
        /// remaining stack was paid out; whatever they still win is paid when the hand ends.
        case left
    }

    /// The seat number (0-based).
    public var seat: Int
    /// Who sits here.
    public var user: UserID
    /// Display name.
    public var username: String
    /// Chips in front of the player as of the last hand boundary (the live stack during a
    /// hand is the engine's).
    public var stack: Int
    /// Phase of the seat.
    public var phase: Phase
    /// Sitting out: not dealt in.
    public var isSittingOut: Bool
    /// When the player started sitting out (ms), for the sit-out removal.
    public var sittingOutSince: Int64?
    /// Turn-clock expiries in a row (a voluntary action resets it).
    public var consecutiveTimeouts: Int
    /// Remaining time bank (ms).
    public var timeBankLeft: Int64
    /// Whether a WebSocket of this user is connected to the table.
    public var isConnected: Bool
    /// When the last connection dropped (ms), for the reconnect grace.
    public var disconnectedAt: Int64?
    /// Dealt into the running hand.
    public var inHand: Bool
    /// Chips already paid out during the running hand (a leaver's remaining stack).
    public var paidDuringHand: Int
    /// Why the player left (set with `.left`).
    public var leaveReason: CashOutReason?

    /// Creates a seat.
    public init(seat: Int, user: UserID, username: String, stack: Int, phase: Phase = .seated,
                timeBankLeft: Int64) {
        self.seat = seat
        self.user = user
        self.username = username
        self.stack = stack
        self.phase = phase
        self.isSittingOut = false
        self.sittingOutSince = nil
        self.consecutiveTimeouts = 0
        self.timeBankLeft = timeBankLeft
        self.isConnected = false
        self.disconnectedAt = nil
        self.inHand = false
        self.paidDuringHand = 0
        self.leaveReason = nil
    }

    /// Eligible to be dealt into the next hand.
    public var canBeDealtIn: Bool { phase == .seated && !isSittingOut && stack > 0 }
}
