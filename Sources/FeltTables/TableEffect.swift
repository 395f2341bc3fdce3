import PokerEngine

/// Why chips leave a table for a wallet.
public enum CashOutReason: String, Sendable, Equatable, Hashable {
    /// The player asked to leave (HTTP or WebSocket `leave`).
    case leave
    /// The connection dropped (no reconnect in time).
    case disconnected
    /// Sitting out longer than the table's sit-out timeout.
    case sitOutTimeout = "sit_out_timeout"
    /// The player lost every chip.
    case busted
    /// Chips won in a hand the player had already left (paid when the hand ends).
    case handEndAfterLeave = "hand_end_after_leave"
    /// The table closed (shutdown or removal from the configuration).
    case tableClosed = "table_closed"
}

/// "Move `amount` from the (table, user) escrow back to the user's wallet." Amount may be 0
/// (a busted player: the ledger may simply close the escrow).
public struct CashOut: Sendable, Equatable, Hashable {
    /// Table id.
    public var tableID: String
    /// Who is paid.
    public var user: UserID
    /// Chips returned.
    public var amount: Int
    /// Why.
    public var reason: CashOutReason
    /// Hand number running when the cash out happened (0 = between hands / none yet).
    public var handNumber: Int

    /// Creates a cash out.
    public init(tableID: String, user: UserID, amount: Int, reason: CashOutReason, handNumber: Int) {
        self.tableID = tableID; self.user = user; self.amount = amount; self.reason = reason
        self.handNumber = handNumber
    }
}

/// One player's result in a finished hand (for the ledger's escrow ↔ escrow postings).
public struct HandPlayerResult: Sendable, Equatable, Hashable {
    public var seat: Int
    public var user: UserID
    public var username: String
    /// Stack at the start of the hand.
    public var startingStack: Int
    /// Stack at the end of the hand (before any end-of-hand cash out).
    public var finalStack: Int
    /// `finalStack - startingStack`.
    public var delta: Int { finalStack - startingStack }

    public init(seat: Int, user: UserID, username: String, startingStack: Int, finalStack: Int) {
        self.seat = seat; self.user = user; self.username = username
        self.startingStack = startingStack; self.finalStack = finalStack
    }
}

/// A finished hand for the ledger: record, per-player deltas and rake. The deltas sum to
/// `-rake` (chips only move between escrows and to the house).
public struct HandResult: Sendable, Equatable {
    /// Table id.
    public var tableID: String
    /// The table's hand counter (1 = first hand since the actor started).
    public var handNumber: Int
    /// The engine's complete record.
    public var record: HandRecord
    /// Every dealt-in player (including those who left during the hand).
    public var players: [HandPlayerResult]
    /// Chips taken by the house.
    public var rake: Int
    /// When the hand started and finished (unix ms).
    public var startedAt: Int64
    public var finishedAt: Int64

    public init(tableID: String, handNumber: Int, record: HandRecord, players: [HandPlayerResult], rake: Int,
                startedAt: Int64, finishedAt: Int64) {
        self.tableID = tableID; self.handNumber = handNumber; self.record = record; self.players = players
        self.rake = rake; self.startedAt = startedAt; self.finishedAt = finishedAt
    }
}

/// What a state transition asks the outside world to do, in order.
public enum TableEffect: Sendable, Equatable {
    /// Broadcast this event to every viewer (as `{"type":"event",...}`).
    case event(TableEvent)
    /// Record the hand with the ledger; the next hand waits for `handRecorded(now:)`.
    case handFinished(HandResult)
    /// Return chips to a wallet.
    case cashOut(CashOut)
    /// Call `tick(now:)` again at this time (unix ms); replaces any earlier wake-up.
    case wake(at: Int64)
    /// The table stopped itself (e.g. the engine refused to start a hand); report it.
    case stopped(reason: String)
}
