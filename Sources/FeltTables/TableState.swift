import PokerEngine

/// One table as a value-type state machine: seats, the running hand, the turn clock and the
/// chip accounting. No I/O and no clock of its own: every transition takes `now` (unix ms)
/// and returns the effects the owner must carry out (`TableEffect`), in order.
///
/// Chip conservation: `accountedChips + totalRake + totalCashOuts == totalBuyIns` after every
/// transition (`accountedChips` counts the start-of-hand stacks of a running hand, so chips
/// in the pot are still counted with their owners until the hand ends).
public struct TableState: Sendable {
    /// The settings in force (changes wait for the next hand boundary).
    public internal(set) var settings: TableSettings
    /// Settings waiting for the next hand boundary.
    public internal(set) var pendingSettings: TableSettings?
    /// Seats by number; `nil` = empty.
    public internal(set) var seats: [TableSeat?]
    /// The running hand, or the last finished one (kept for the views during the pause).
    public internal(set) var hand: HandState?
    /// Who occupied each seat when the current (or last) hand was dealt (for the views).
    public internal(set) var handUsers: [UserID?] = []
    /// Hands started so far.
    public internal(set) var handNumber = 0
    /// When the current (or last) hand started (unix ms).
    public internal(set) var handStartedAt: Int64 = 0
    /// Positions of the last hand dealt (for the dead-button rotation).
    public internal(set) var lastPositions: HandPositions?
    /// Earliest time the next hand may start (unix ms).
    public internal(set) var nextHandAt: Int64 = 0
    /// The last hand is waiting for the ledger (`handRecorded(now:)`); no hand starts meanwhile.
    public internal(set) var awaitingHandRecord = false
    /// When the player to act runs out of time (unix ms), or `nil` with no turn running.
    public internal(set) var actionDeadline: Int64?
    /// Whether the current turn is already eating into the player's time bank.
    public internal(set) var turnUsesTimeBank = false
    /// When the time bank started for the current turn (ms).
    var timeBankStartedAt: Int64 = 0
    /// The table is closing (removed from the configuration or shutting down): no new hands
    /// or joins; everyone is paid out once no hand is running.
    public internal(set) var isClosing = false
    /// Set once the table stopped; it then refuses every request.
    public internal(set) var stoppedReason: String?
    /// Where decks come from.
    var deckSource: TableDeckSource
    /// Last wake-up time handed out as an effect (to avoid repeating it).
    var lastWake: Int64?
    /// Whether the owner must record hands before the next one starts (`true` for the actor;
    /// pure tests may turn it off).
    public var requiresHandRecord: Bool
    /// Bumped on every change that can alter a view (the owner's view cache key).
    public internal(set) var version: UInt64 = 0

    /// All buy-ins accepted.
    public internal(set) var totalBuyIns = 0
    /// All chips returned to wallets.
    public internal(set) var totalCashOuts = 0
    /// All rake taken.
    public internal(set) var totalRake = 0

    /// Creates an empty table. Throws when the settings are invalid.
    public init(settings: TableSettings, deckSource: TableDeckSource = .secure,
                requiresHandRecord: Bool = true) throws(TableSettingsError) {
        try settings.validate()
        self.settings = settings
        self.seats = Array(repeating: nil, count: settings.seatCount)
        self.deckSource = deckSource
        self.requiresHandRecord = requiresHandRecord
    }

    /// Whether a hand is being played right now.
    public var isHandRunning: Bool {
        if let h = hand { return !h.isFinished }
        return false
    }

    /// The seat of the player to act, when a hand is running.
    public var seatToAct: Int? { isHandRunning ? hand?.actor : nil }

    /// Chips at the table as the ledger sees them: every seat's start-of-hand stack less
    /// what was already paid out during the running hand.
    public var accountedChips: Int {
        var sum = 0
        for case let s? in seats where s.phase != .reserved { sum += s.stack - s.paidDuringHand }
        return sum
    }

    /// Players seated (reserved seats and leavers waiting for the hand end excluded).
    public var seatedCount: Int {
        var c = 0
        for case let s? in seats where s.phase == .seated { c += 1 }
        return c
    }

    /// The seat of `user` (seated, not a leaver, not a pending reservation).
    public func seatIndex(of user: UserID) -> Int? {
        for case let s? in seats where s.user == user && s.phase == .seated { return s.seat }
        return nil
    }

    /// The seated player record of `user`.
    public func seat(of user: UserID) -> TableSeat? {
        seatIndex(of: user).flatMap { seats[$0] }
    }

    /// The live stack of a seat: the engine's during a hand the seat is dealt into, less what
    /// was already paid out.
    public func liveStack(_ seat: TableSeat) -> Int {
        if seat.inHand, let h = hand, !h.isFinished { return h.stacks[seat.seat] - seat.paidDuringHand }
        return seat.stack
    }

    /// Starts closing the table: no new joins or hands; every player is removed and paid out
    /// (`table_closed`) now, or when the running hand ends.
    @discardableResult
    public mutating func close(now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        guard stoppedReason == nil, !isClosing else { return fx }
        isClosing = true
        version &+= 1
        settle(now: now, &fx)
        return fx
    }

    /// Whether the table is closing and empty (the owner may drop it).
    public var isClosed: Bool { isClosing && !isHandRunning && seats.allSatisfy { $0 == nil } }

    /// Stops the table: it refuses every request from now on. Nothing moves.
    public mutating func stop(reason: String) {
        guard stoppedReason == nil else { return }
        stoppedReason = reason
        actionDeadline = nil
        version &+= 1
    }
}
