import PokerEngine
import Synchronization

/// A successful join.
public struct JoinOutcome: Sendable, Equatable {
    /// The seat taken.
    public var seat: Int
    /// The stack brought to the table (the buy-in).
    public var stack: Int
    public init(seat: Int, stack: Int) { self.seat = seat; self.stack = stack }
}

/// One live table: owns its `TableState` (nothing else mutates it), runs its timers, calls
/// the ledger in order and broadcasts views and events to its viewers. Pinned to the
/// executor it is given (an event loop in the server).
public actor TableActor {
    /// The table id.
    public nonisolated let tableID: String
    private nonisolated let executor: any SerialExecutor

    /// The executor this table runs on.
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }

    var state: TableState
    let ledger: any TableLedger
    let clock: any TableClock
    let automaticTimers: Bool
    let onFailure: @Sendable (TableFailure) -> Void

    struct Viewer {
        var user: UserID?
        var sink: any TableViewerSink
        var spectating: Bool
    }
    var viewers: [ViewerID: Viewer] = [:]
    var connectionsByUser: [UserID: Int] = [:]
    /// Users seated as of the last `run`, by seat (to find who was removed since).
    var seatedUsers: [UserID?] = []
    /// Cash-outs queued but not yet recorded by the ledger: while any is pending, views,
    /// events and the lobby are held back, so nobody sees a player gone before their wallet
    /// was credited.
    var pendingCashOuts = 0
    /// Messages broadcast while a cash-out was pending, delivered in order once it is recorded.
    var heldMessages: [SharedMessage] = []

    var timerTask: Task<Void, Never>?
    var timerAt: Int64?
    var heartbeatTask: Task<Void, Never>?
    var ledgerTail: Task<Bool, Never>?
    var cacheVersion: UInt64 = .max
    var viewSet: GameViewSet?
    /// Broadcast messages of the change being carried out, delivered with the views.
    var outbox: [SharedMessage] = []
    var pushedVersion: UInt64 = .max
    struct LobbyKey: Equatable {
        var handNumber: Int
        var running: Bool
        var stopped: Bool
        var seated: Int
        var spectators: Int
        var occupancy: [UserID?]
    }
    var lobbyKey: LobbyKey?
    /// The lobby snapshot as of the last seat, status or hand change (read without a hop).
    nonisolated let published: Mutex<TableSnapshot>

    /// Creates a table.
    /// - Parameters:
    ///   - executor: where the actor runs (the event loop chosen by `TableDirectory`); a
    ///     private queue when `nil`.
    ///   - automaticTimers: `true` drives turn clocks, pauses and heartbeats with `Task.sleep`;
    ///     `false` leaves time to `tick()` / `heartbeat()` calls (tests, simulations).
    ///   - onFailure: called when the table stops itself (ledger failure, engine refusal).
    public init(settings: TableSettings, ledger: any TableLedger, executor: (any SerialExecutor)? = nil,
                clock: any TableClock = SystemTableClock(), deckSource: TableDeckSource = .secure,
                automaticTimers: Bool = true,
                onFailure: @escaping @Sendable (TableFailure) -> Void = { _ in }) throws(TableSettingsError) {
        self.state = try TableState(settings: settings, deckSource: deckSource)
        self.published = Mutex(state.snapshot())
        self.tableID = settings.tableID
        self.executor = executor ?? TableQueueExecutor(label: "felt.table.\(settings.tableID)")
        self.ledger = ledger
        self.clock = clock
        self.automaticTimers = automaticTimers
        self.onFailure = onFailure
    }

    // MARK: Lifecycle

    /// Starts the heartbeat (with automatic timers). Call once after creating the table.
    public func start() {
        guard automaticTimers, heartbeatTask == nil else { return }
        heartbeatTask = Task { [weak self] in
            while !Task.isCancelled {
                let interval = await self?.state.settings.heartbeatIntervalMillis ?? 1_000
                try? await Task.sleep(for: .milliseconds(interval))
                guard let self, !Task.isCancelled else { return }
                await self.heartbeat()
            }
        }
    }

    /// Cancels the table's timers (the state stays as it is).
    public func shutdown() {
        heartbeatTask?.cancel()
        heartbeatTask = nil
        timerTask?.cancel()
        timerTask = nil
        timerAt = nil
    }

    // MARK: Requests

    /// Sits `user` down with `buyIn` chips: checks the seat, moves the buy-in with the ledger,
    /// then seats the player (dealt in from the next hand). `passphraseVerified` is the
    /// server's passphrase check for private tables.
    public func join(user: UserID, username: String, buyIn: Int,
                     passphraseVerified: Bool = false) async -> Result<JoinOutcome, TableError> {
        let seat: Int
        do {
            seat = try state.reserveSeat(user: user, username: username, buyIn: buyIn,
                                         passphraseVerified: passphraseVerified)
        } catch {
            return .failure(error)
        }
        do {
            try await ledger.buyIn(tableID: tableID, user: user, amount: buyIn)
        } catch let error as TableError {
            state.cancelReservation(user: user)
            return .failure(error)
        } catch {
            state.cancelReservation(user: user)
            return .failure(.ledgerFailed(reason: "\(error)"))
        }
        run(state.confirmSeat(user: user, now: clock.nowMillis()))
        if connectionsByUser[user, default: 0] > 0 {
            run(state.connect(user: user, now: clock.nowMillis()))
        }
        return .success(JoinOutcome(seat: seat, stack: buyIn))
    }

    /// `user` leaves (see `TableState.leave`). Returns once the ledger returned the chips.
    public func leave(user: UserID) async -> Result<LeaveOutcome, TableError> {
        let result: (outcome: LeaveOutcome, effects: [TableEffect])
        do {
            result = try state.leave(user: user, now: clock.nowMillis())
        } catch {
            return .failure(error)
        }
        let pending = run(result.effects)
        if let pending, await !pending.value {
            return .failure(.ledgerFailed(reason: state.stoppedReason ?? "cash out failed"))
        }
        return .success(result.outcome)
    }

    /// `user` acts in the running hand.
    public func act(user: UserID, action: PlayerAction) -> Result<Void, TableError> {
        do {
            run(try state.act(user: user, action: action, now: clock.nowMillis()))
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// `user` sits back in from the next hand.
    public func sitIn(user: UserID) -> Result<Void, TableError> {
        do {
            run(try state.sitIn(user: user, now: clock.nowMillis()))
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// `user` sits out from the next hand.
    public func sitOut(user: UserID) -> Result<Void, TableError> {
        do {
            run(try state.sitOut(user: user, now: clock.nowMillis()))
            return .success(())
        } catch {
            return .failure(error)
        }
    }

    /// Closes the table (configuration removal, shutdown): no new joins or hands; players
    /// are paid out now or when the running hand ends. Returns once the ledger has done
    /// everything queued so far; `isClosed` tells whether the table is empty.
    @discardableResult
    public func close() async -> Bool {
        run(state.close(now: clock.nowMillis()))
        await drainLedger()
        return state.isClosed
    }

    /// New settings, applied at the next hand boundary.
    public func updateSettings(_ settings: TableSettings) throws(TableSettingsError) {
        run(try state.updateSettings(settings, now: clock.nowMillis()))
    }

    // MARK: Viewers

    /// A WebSocket connected (`user` from its token, `nil` if anonymous). A seated user gets
    /// their seat's view at once; others get views after `spectate`.
    public func connect(viewer: ViewerID, user: UserID?, sink: any TableViewerSink) {
        viewers[viewer] = Viewer(user: user, sink: sink, spectating: false)
        let before = pushedVersion
        if let user {
            connectionsByUser[user, default: 0] += 1
            if state.seatIndex(of: user) != nil {
                run(state.connect(user: user, now: clock.nowMillis()))
            }
        }
        // A change above already pushed the view to everybody, this viewer included.
        if pushedVersion == before { sendView(to: viewer) }
    }

    /// A WebSocket closed. For a seated user whose last connection this was: leave (or start
    /// the reconnect grace). Returns once any chips are back with the ledger.
    public func disconnect(viewer: ViewerID) async {
        guard let v = viewers.removeValue(forKey: viewer) else { return }
        if v.spectating { publishLobby() }
        guard let user = v.user else { return }
        let left = connectionsByUser[user, default: 1] - 1
        if left > 0 {
            connectionsByUser[user] = left
            return
        }
        connectionsByUser[user] = nil
        guard state.seatIndex(of: user) != nil else { return }
        if let pending = run(state.disconnect(user: user, now: clock.nowMillis())) {
            _ = await pending.value
        }
    }

    /// The viewer starts watching (views every change and heartbeat).
    public func spectate(viewer: ViewerID) -> Result<Void, TableError> {
        guard viewers[viewer] != nil else { return .failure(.notConnected) }
        viewers[viewer]?.spectating = true
        sendView(to: viewer)
        publishLobby()
        return .success(())
    }

    /// The viewer stops watching (a seated player keeps their own view).
    public func stopSpectating(viewer: ViewerID) -> Result<Void, TableError> {
        guard viewers[viewer] != nil else { return .failure(.notConnected) }
        viewers[viewer]?.spectating = false
        publishLobby()
        return .success(())
    }

    /// The lobby snapshot, exact as of now (while a cash-out is being recorded: as of the
    /// last published change, so a leaving player shows until their chips are back).
    public func snapshot() -> TableSnapshot {
        if pendingCashOuts > 0 { return published.withLock { $0 } }
        return state.snapshot(spectators: spectatorCount)
    }

    /// The lobby snapshot without an actor hop (for `GET /api/tables` over many tables):
    /// republished whenever seats, spectators, status or the hand number change, so stacks
    /// are as of the last such change.
    public nonisolated func lobbySnapshot() -> TableSnapshot {
        published.withLock { $0 }
    }

    /// A copy of the table state (tests, diagnostics).
    public func currentState() -> TableState { state }

    // MARK: Time

    /// Advances the table to the clock's now (what the timers call).
    public func tick() {
        run(state.tick(now: clock.nowMillis()))
    }

    /// Sends the current view to every viewer (what the heartbeat calls).
    public func heartbeat() {
        pushViews(force: true)
    }

    /// Waits until every ledger call queued so far has finished (tests, shutdown).
    public func drainLedger() async {
        _ = await ledgerTail?.value
    }
}
