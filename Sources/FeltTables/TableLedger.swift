/// The table's bookkeeping, implemented by the server over PostgreSQL (escrow per table and
/// user). Every call is one atomic ledger transaction; the table calls them one at a time in
/// the order things happened (a hand's results before the cash-outs that follow it).
public protocol TableLedger: Sendable {
    /// Wallet → escrow for a join. Throw `TableError.insufficientChips` (or any error) to
    /// refuse; nothing must have moved when it throws.
    func buyIn(tableID: String, user: UserID, amount: Int) async throws
    /// Escrow ↔ escrow for the hand's results, escrow → house for the rake, and the hand
    /// record, in one transaction. The next hand starts only after this returns. If it
    /// throws, the table stops (nothing more moves; the server's recovery returns escrows).
    func recordHand(_ result: HandResult) async throws
    /// Escrow → wallet (leave, disconnect, sit-out removal, bust, end-of-hand payout of a
    /// leaver). A failure stops the table the same way.
    func cashOut(_ cashOut: CashOut) async throws
}

/// A table stopped itself; the server should report it and recover the table's escrows.
public struct TableFailure: Sendable, Equatable, CustomStringConvertible {
    /// Table id.
    public var tableID: String
    /// What happened.
    public var reason: String
    /// Creates a failure report.
    public init(tableID: String, reason: String) { self.tableID = tableID; self.reason = reason }
    public var description: String { "table \(tableID) stopped: \(reason)" }
}
