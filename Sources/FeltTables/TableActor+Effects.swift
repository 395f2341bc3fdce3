import PokerEngine

extension TableActor {
    /// Carries out effects in order; returns the last ledger call queued (if any).
    @discardableResult
    func run(_ effects: [TableEffect]) -> Task<Bool, Never>? {
        keepRemovedPlayersWatching()
        var lastLedger: Task<Bool, Never>?
        for effect in effects {
            switch effect {
            case .event(let event):
                broadcast(TableMessages.event(event, tableID: tableID))
            case .handFinished(let result):
                lastLedger = enqueueLedger(.hand(result))
            case .cashOut(let cashOut):
                lastLedger = enqueueLedger(.cashOut(cashOut))
            case .wake:
                break  // the timer is re-armed from `nextWake` below
            case .stopped(let reason):
                onFailure(TableFailure(tableID: tableID, reason: reason))
            }
        }
        pushViews(force: false)
        armTimer()
        publishLobby()
        return lastLedger
    }

    /// A player the table removed (leave, busted, sit-out timeout, disconnect of another
    /// connection) keeps their open connections: each becomes a spectator, so it receives the
    /// `player_left` event, a view without the seat, and further views until it sends
    /// `stop_spectating` or closes. Called before the effects of a change are delivered.
    func keepRemovedPlayersWatching() {
        // Compared in place first: most changes do not touch the seats (no allocation).
        let seats = state.seats
        var changed = seatedUsers.count != seats.count
        if !changed {
            for i in seats.indices where seatedUsers[i] != Self.seatedUser(seats[i]) {
                changed = true
                break
            }
        }
        guard changed else { return }
        let before = seatedUsers
        seatedUsers = seats.map(Self.seatedUser)
        var removed: [UserID] = []
        for case let u? in before where !seatedUsers.contains(u) { removed.append(u) }
        guard !removed.isEmpty else { return }
        for (id, v) in viewers where !v.spectating {
            if let u = v.user, removed.contains(u) { viewers[id]?.spectating = true }
        }
    }

    static func seatedUser(_ seat: TableSeat?) -> UserID? {
        guard let seat, seat.phase == .seated else { return nil }
        return seat.user
    }

    /// Republishes the lobby snapshot when something the lobby shows changed.
    func publishLobby() {
        guard pendingCashOuts == 0 else { return }
        let spectators = spectatorCount
        if let k = lobbyKey, k.handNumber == state.handNumber, k.running == state.isHandRunning,
           k.stopped == (state.stoppedReason != nil), k.seated == state.seatedCount, k.spectators == spectators,
           k.occupancy.count == state.seats.count {
            var same = true
            for (i, s) in state.seats.enumerated() where k.occupancy[i] != Self.seatedUser(s) {
                same = false
                break
            }
            if same { return }
        }
        let key = LobbyKey(handNumber: state.handNumber, running: state.isHandRunning,
                           stopped: state.stoppedReason != nil, seated: state.seatedCount,
                           spectators: spectators, occupancy: state.seats.map(Self.seatedUser))
        lobbyKey = key
        let snap = state.snapshot(spectators: key.spectators)
        published.withLock { $0 = snap }
    }

    var spectatorCount: Int {
        var n = 0
        for v in viewers.values where v.spectating {
            if let u = v.user, state.seatIndex(of: u) != nil { continue }
            n += 1
        }
        return n
    }

    enum LedgerCall: Sendable {
        case hand(HandResult)
        case cashOut(CashOut)
    }

    /// Queues a ledger call behind every earlier one; `true` when it succeeded. A cash-out
    /// holds views, events and the lobby until it is recorded (or failed).
    func enqueueLedger(_ call: LedgerCall) -> Task<Bool, Never> {
        let holds: Bool
        if case .cashOut = call { holds = true } else { holds = false }
        if holds { pendingCashOuts += 1 }
        let previous = ledgerTail
        let task = Task<Bool, Never> {
            let ok = await self.performLedger(call, after: previous)
            if holds { self.cashOutSettled() }
            return ok
        }
        ledgerTail = task
        return task
    }

    /// One cash-out finished: when none is left pending, deliver what was held back.
    func cashOutSettled() {
        pendingCashOuts -= 1
        guard pendingCashOuts == 0 else { return }
        let held = heldMessages
        heldMessages = []
        for message in held { broadcast(message) }
        pushViews(force: true)
        publishLobby()
    }

    func performLedger(_ call: LedgerCall, after previous: Task<Bool, Never>?) async -> Bool {
        let ledger = self.ledger
        if let previous, await !previous.value { return false }
        if self.state.stoppedReason != nil { return false }
        do {
            switch call {
            case .hand(let result): try await ledger.recordHand(result)
            case .cashOut(let cashOut): try await ledger.cashOut(cashOut)
            }
        } catch {
            self.ledgerFailed(call, error)
            return false
        }
        if case .hand = call {
            self.run(self.state.handRecorded(now: self.clock.nowMillis()))
        }
        return true
    }

    func ledgerFailed(_ call: LedgerCall, _ error: any Error) {
        let what: String
        switch call {
        case .hand(let r): what = "recording hand \(r.handNumber)"
        case .cashOut(let c): what = "cash out of \(c.amount) to user \(c.user)"
        }
        let reason = "ledger failed \(what): \(error)"
        state.stop(reason: reason)
        timerTask?.cancel()
        timerTask = nil
        timerAt = nil
        pushViews(force: false)
        onFailure(TableFailure(tableID: tableID, reason: reason))
    }

    // MARK: Timer

    func armTimer() {
        guard automaticTimers else { return }
        let now = clock.nowMillis()
        guard let wake = state.nextWake(now: now) else {
            timerTask?.cancel()
            timerTask = nil
            timerAt = nil
            return
        }
        // A timer already due no later than `wake` stays: when it fires, `tick` does what is
        // due and re-arms for the later time (so moving deadlines do not churn tasks).
        if let at = timerAt, at <= wake, timerTask != nil { return }
        timerTask?.cancel()
        timerAt = wake
        let delay = max(0, wake - now)
        timerTask = Task { [weak self] in
            try? await Task.sleep(for: .milliseconds(delay))
            guard !Task.isCancelled, let self else { return }
            await self.timerFired(wake)
        }
    }

    func timerFired(_ at: Int64) {
        guard timerAt == at else { return }
        timerAt = nil
        timerTask = nil
        run(state.tick(now: clock.nowMillis()))
    }

    // MARK: Views

    /// Queues `message` for every viewer (seated players and spectators); it goes out with
    /// the next `pushViews`, together with each viewer's view, in one delivery per viewer.
    func broadcast(_ message: SharedMessage) {
        if pendingCashOuts > 0 {
            heldMessages.append(message)
            return
        }
        outbox.append(message)
    }

    func isSeated(_ user: UserID?) -> Bool {
        guard let user else { return false }
        return state.seatIndex(of: user) != nil
    }

    /// The rendered views of the current state version (rendered at most once per version).
    func currentViews() -> GameViewSet {
        if cacheVersion != state.version || viewSet == nil {
            cacheVersion = state.version
            let set = state.gameViews(reusing: viewSet)
            viewSet = set
            return set
        }
        return viewSet ?? state.gameViews()
    }

    /// The view for a seat (`nil` = spectator) of the current state version.
    func cachedView(seat: Int?) -> SharedMessage {
        currentViews().view(for: seat)
    }

    func sendView(to viewer: ViewerID) {
        guard pendingCashOuts == 0, let v = viewers[viewer] else { return }
        if let user = v.user, let seat = state.seatIndex(of: user) {
            v.sink.deliver(cachedView(seat: seat))
        } else if v.spectating {
            v.sink.deliver(cachedView(seat: nil))
        }
    }

    /// Delivers the queued broadcast messages and, when the state changed (or `force`), the
    /// current view: each viewer gets its messages and its view in one `deliver` call.
    func pushViews(force: Bool) {
        let viewsDue = pendingCashOuts == 0 && (force || pushedVersion != state.version)
        guard viewsDue || !outbox.isEmpty else { return }
        var messages: [SharedMessage] = []
        swap(&messages, &outbox)
        if viewsDue { pushedVersion = state.version }
        var set: GameViewSet?
        for v in viewers.values {
            let seat = v.user.flatMap { state.seatIndex(of: $0) }
            guard seat != nil || v.spectating else { continue }
            var view: SharedMessage?
            if viewsDue {
                // Rendered on the first viewer that needs it (none without viewers).
                let views = set ?? currentViews()
                set = views
                view = views.view(for: seat)
            }
            v.sink.deliver(messages, then: view)
        }
        messages.removeAll(keepingCapacity: true)
        swap(&messages, &outbox)
    }
}
