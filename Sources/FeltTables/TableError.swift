/// Why the table refused a request. Each case has a stable `code` (used in HTTP bodies and
/// WebSocket `{"type":"error"}` messages) and a readable `message`.
public enum TableError: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Every seat is taken.
    case tableFull
    /// The user already has a seat here.
    case alreadySeated
    /// The buy-in is outside the table's range.
    case invalidBuyIn(amount: Int, min: Int, max: Int)
    /// The table is private and the passphrase was not verified.
    case wrongPassphrase
    /// The user has no seat here.
    case notSeated
    /// It is another player's turn (or no hand is running).
    case notYourTurn
    /// The engine rejected the action; `reason` is the engine's (e.g. "cannot check with active bet: 2 to call").
    case invalidAction(reason: String)
    /// The wallet cannot cover the buy-in (raised by the ledger).
    case insufficientChips(need: Int, have: Int)
    /// The viewer is not connected to this table.
    case notConnected
    /// The table stopped (after a ledger failure or shutdown) and takes no requests.
    case tableClosed(reason: String)
    /// The ledger failed; nothing was applied.
    case ledgerFailed(reason: String)
    /// A client message the table cannot understand.
    case badMessage(reason: String)

    /// Stable machine-readable code.
    public var code: String {
        switch self {
        case .tableFull: "table_full"
        case .alreadySeated: "already_seated"
        case .invalidBuyIn: "invalid_buy_in"
        case .wrongPassphrase: "wrong_passphrase"
        case .notSeated: "not_seated"
        case .notYourTurn: "not_your_turn"
        case .invalidAction: "invalid_action"
        case .insufficientChips: "insufficient_chips"
        case .notConnected: "not_connected"
        case .tableClosed: "table_closed"
        case .ledgerFailed: "ledger_failed"
        case .badMessage: "bad_message"
        }
    }

    /// Human-readable message.
    public var message: String {
        switch self {
        case .tableFull: "Table is full"
        case .alreadySeated: "You are already seated at this table"
        case .invalidBuyIn(let amount, let min, let max): "Invalid buy-in: \(amount) is outside \(min)...\(max)"
        case .wrongPassphrase: "Access denied: incorrect passphrase"
        case .notSeated: "You must be seated at the table to take actions"
        case .notYourTurn: "Not your turn"
        case .invalidAction(let reason): "Invalid action: \(reason)"
        case .insufficientChips(let need, let have): "Insufficient chips: need \(need), have \(have)"
        case .notConnected: "Not connected to this table"
        case .tableClosed(let reason): "Table is closed: \(reason)"
        case .ledgerFailed(let reason): "Ledger failure: \(reason)"
        case .badMessage(let reason): "Bad message: \(reason)"
        }
    }

    public var description: String { "\(code): \(message)" }
}
