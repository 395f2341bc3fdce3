import PokerEngine

/// A successful leave.
public struct LeaveOutcome: Sendable, Equatable {
    /// The seat left.
    public var seat: Int
    /// Chips returned now (the remaining stack).
    public var returned: Int
    /// Whether more may be paid when the running hand ends (the player's chips are still in
    /// the pot, e.g. all in).
    public var paidAtHandEnd: Bool

    public init(seat: Int, returned: Int, paidAtHandEnd: Bool) {
        self.seat = seat; self.returned = returned; self.paidAtHandEnd = paidAtHandEnd
    }
}

extension TableState {
    // MARK: Join

    /// Checks a join and holds a seat for `user` while the ledger moves the buy-in
    /// (`confirmSeat` / `cancelReservation` finish it). Returns the seat number.
    ///
    /// Errors: `table_closed`, `wrong_passphrase` (private table without `passphraseVerified`),
    /// `invalid_buy_in`, `already_seated`, `table_full`.
    public mutating func reserveSeat(user: UserID, username: String, buyIn: Int,
                                     passphraseVerified: Bool = false) throws(TableError) -> Int {
        if let reason = stoppedReason { throw .tableClosed(reason: reason) }
        if isClosing { throw .tableClosed(reason: "the table is closing") }
        if settings.isPrivate && !passphraseVerified { throw .wrongPassphrase }
        guard buyIn >= settings.buyInMin, buyIn <= settings.buyInMax else {
            throw .invalidBuyIn(amount: buyIn, min: settings.buyInMin, max: settings.buyInMax)
        }
        for case let s? in seats where s.user == user && s.phase != .left { throw .alreadySeated }
        guard let free = seats.firstIndex(where: { $0 == nil }) else { throw .tableFull }
        seats[free] = TableSeat(seat: free, user: user, username: username, stack: buyIn, phase: .reserved,
                                timeBankLeft: settings.timeBankMillis)
        return free
    }

    /// The ledger moved the buy-in: the player sits down (dealt in from the next hand).
    @discardableResult
    public mutating func confirmSeat(user: UserID, now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        guard let i = seats.firstIndex(where: { $0?.user == user && $0?.phase == .reserved }),
              var s = seats[i] else { return fx }
        s.phase = .seated
        seats[i] = s
        totalBuyIns += s.stack
        version &+= 1
        fx.append(.event(.playerJoined(seat: i, username: s.username, stack: s.stack)))
        settle(now: now, &fx)
        return fx
    }

    /// The ledger refused the buy-in: the held seat frees, nothing else changes.
    public mutating func cancelReservation(user: UserID) {
        if let i = seats.firstIndex(where: { $0?.user == user && $0?.phase == .reserved }) {
            seats[i] = nil
        }
    }

    /// Reserve and confirm in one step (for callers whose buy-in already moved).
    public mutating func join(user: UserID, username: String, buyIn: Int, passphraseVerified: Bool = false,
                              now: Int64) throws(TableError) -> (seat: Int, effects: [TableEffect]) {
        let seat = try reserveSeat(user: user, username: username, buyIn: buyIn, passphraseVerified: passphraseVerified)
        return (seat, confirmSeat(user: user, now: now))
    }

    // MARK: Leave

    /// `user` leaves. Outside a hand (or not dealt in) the seat frees and the stack is paid
    /// out. During a hand the player's hand is folded at once, in turn or not and whether or
    /// not anything is owed (`HandState.forfeit(seat:)`): the chips already bet stay in the pot
    /// and the remaining stack is paid now. An all-in player cannot fold: they stay in the hand
    /// and what they win is paid when it ends. A second leave → `not_seated`.
    public mutating func leave(user: UserID, reason: CashOutReason = .leave,
                               now: Int64) throws(TableError) -> (outcome: LeaveOutcome, effects: [TableEffect]) {
        if let why = stoppedReason { throw .tableClosed(reason: why) }
        guard let i = seatIndex(of: user) else { throw .notSeated }
        var fx: [TableEffect] = []
        let outcome = removePlayer(at: i, reason: reason, now: now, &fx)
        settle(now: now, &fx)
        return (outcome, fx)
    }

    /// Removes or marks as left the player at seat `i`, paying what can be paid now.
    mutating func removePlayer(at i: Int, reason: CashOutReason, now: Int64, _ fx: inout [TableEffect]) -> LeaveOutcome {
        guard var s = seats[i] else { return LeaveOutcome(seat: i, returned: 0, paidAtHandEnd: false) }
        version &+= 1
        if s.inHand, let h = hand, !h.isFinished {
            let live = h.stacks[i]
            let pay = live - s.paidDuringHand
            s.phase = .left
            s.leaveReason = reason
            s.paidDuringHand = live
            seats[i] = s
            totalCashOuts += pay
            // Only an all-in player stays live; anyone else is folded now and wins nothing more.
            let stillLive = h.statuses[i] == .allIn
            if pay > 0 || !stillLive {
                fx.append(.cashOut(CashOut(tableID: settings.tableID, user: s.user, amount: pay, reason: reason,
                                           handNumber: handNumber)))
            }
            fx.append(.event(.playerLeft(seat: i, username: s.username, reason: reason)))
            if h.canForfeit(seat: i) { forfeitHand(of: i, now: now, &fx) }
            return LeaveOutcome(seat: i, returned: pay, paidAtHandEnd: stillLive)
        }
        seats[i] = nil
        totalCashOuts += s.stack
        fx.append(.cashOut(CashOut(tableID: settings.tableID, user: s.user, amount: s.stack, reason: reason,
                                   handNumber: handNumber)))
        fx.append(.event(.playerLeft(seat: i, username: s.username, reason: reason)))
        return LeaveOutcome(seat: i, returned: s.stack, paidAtHandEnd: false)
    }

    // MARK: Connections

    /// A WebSocket of `user` connected: the seat counts as connected (a reconnect in time
    /// cancels the pending removal and sits the player back in).
    @discardableResult
    public mutating func connect(user: UserID, now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        guard stoppedReason == nil, let i = seatIndex(of: user), var s = seats[i] else { return fx }
        let wasAway = s.disconnectedAt != nil
        s.isConnected = true
        s.disconnectedAt = nil
        if wasAway && s.isSittingOut {
            s.isSittingOut = false
            s.sittingOutSince = nil
            s.consecutiveTimeouts = 0
            fx.append(.event(.sittingOut(seat: i, username: s.username, isSittingOut: false)))
        }
        seats[i] = s
        version &+= 1
        settle(now: now, &fx)
        return fx
    }

    /// The last WebSocket of `user` closed: leave now (no reconnect grace) or once the grace
    /// runs out without a reconnect.
    @discardableResult
    public mutating func disconnect(user: UserID, now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        guard stoppedReason == nil, let i = seatIndex(of: user), var s = seats[i] else { return fx }
        if settings.reconnectGraceMillis <= 0 {
            _ = removePlayer(at: i, reason: .disconnected, now: now, &fx)
        } else {
            s.isConnected = false
            s.disconnectedAt = now
            seats[i] = s
            version &+= 1
        }
        settle(now: now, &fx)
        return fx
    }

    /// The player sits back in (dealt in from the next hand).
    @discardableResult
    public mutating func sitIn(user: UserID, now: Int64) throws(TableError) -> [TableEffect] {
        if let why = stoppedReason { throw .tableClosed(reason: why) }
        guard let i = seatIndex(of: user), var s = seats[i] else { throw .notSeated }
        var fx: [TableEffect] = []
        if s.isSittingOut {
            s.isSittingOut = false
            s.sittingOutSince = nil
            s.consecutiveTimeouts = 0
            seats[i] = s
            version &+= 1
            fx.append(.event(.sittingOut(seat: i, username: s.username, isSittingOut: false)))
        }
        settle(now: now, &fx)
        return fx
    }

    /// The player sits out from the next hand (removed after the sit-out timeout).
    @discardableResult
    public mutating func sitOut(user: UserID, now: Int64) throws(TableError) -> [TableEffect] {
        if let why = stoppedReason { throw .tableClosed(reason: why) }
        guard let i = seatIndex(of: user) else { throw .notSeated }
        var fx: [TableEffect] = []
        markSittingOut(i, now: now, &fx)
        settle(now: now, &fx)
        return fx
    }

    mutating func markSittingOut(_ i: Int, now: Int64, _ fx: inout [TableEffect]) {
        guard var s = seats[i], !s.isSittingOut else { return }
        s.isSittingOut = true
        s.sittingOutSince = now
        seats[i] = s
        version &+= 1
        fx.append(.event(.sittingOut(seat: i, username: s.username, isSittingOut: true)))
    }

    // MARK: Settings

    /// New settings (same table id): applied now between hands, else at the end of the hand.
    /// A smaller seat count waits until the seats beyond it are empty.
    @discardableResult
    public mutating func updateSettings(_ new: TableSettings, now: Int64) throws(TableSettingsError) -> [TableEffect] {
        try new.validate()
        guard new.tableID == settings.tableID else { throw TableSettingsError("table id cannot change") }
        pendingSettings = new
        var fx: [TableEffect] = []
        if !isHandRunning { applyPendingSettings() }
        settle(now: now, &fx)
        return fx
    }

    /// Applies waiting settings at a hand boundary.
    mutating func applyPendingSettings() {
        guard var new = pendingSettings else { return }
        if new.seatCount < seats.count {
            let occupiedBeyond = seats[new.seatCount...].contains { $0 != nil }
            if occupiedBeyond {
                new.seatCount = seats.count
            } else {
                seats.removeLast(seats.count - new.seatCount)
                lastPositions = nil
            }
        } else if new.seatCount > seats.count {
            seats.append(contentsOf: Array(repeating: nil, count: new.seatCount - seats.count))
            lastPositions = nil
        }
        settings = new
        pendingSettings = (new.seatCount == pendingSettings?.seatCount) ? nil : pendingSettings
        version &+= 1
    }
}
