import PokerEngine

extension TableState {
    // MARK: Time

    /// Advances the table to `now`: turn-clock expiries (time bank, then the engine's timeout
    /// action), reconnect-grace and sit-out removals, auto-actions for leavers, the end of a
    /// hand and the start of the next one. Returns the effects, ending with the next wake-up.
    @discardableResult
    public mutating func tick(now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        settle(now: now, &fx)
        return fx
    }

    /// The ledger stored the last finished hand: the next hand may start (after the pause).
    @discardableResult
    public mutating func handRecorded(now: Int64) -> [TableEffect] {
        var fx: [TableEffect] = []
        awaitingHandRecord = false
        settle(now: now, &fx)
        return fx
    }

    // MARK: Actions

    /// The player `user` acts. Errors change nothing: `table_closed`, `not_seated`,
    /// `not_your_turn`, `invalid_action` with the engine's reason.
    public mutating func act(user: UserID, action: PlayerAction, now: Int64) throws(TableError) -> [TableEffect] {
        if let why = stoppedReason { throw .tableClosed(reason: why) }
        guard let i = seatIndex(of: user), let s = seats[i] else { throw .notSeated }
        guard let actor = hand?.actor, hand?.isFinished == false, s.inHand, actor == i else { throw .notYourTurn }
        if action == .timeout { throw .invalidAction(reason: "timeout is not a player action") }
        // Apply in place: take the hand out so the engine's arrays are uniquely referenced
        // (no copy per action); an error leaves the engine state untouched and it goes back.
        guard var next = hand else { throw .notYourTurn }
        hand = nil
        let start = next.events.count
        do { _ = try next.apply(action, by: i) } catch {
            hand = consume next
            throw .invalidAction(reason: error.reason)
        }
        hand = consume next
        var fx: [TableEffect] = []
        var seat = s
        if turnUsesTimeBank { seat.timeBankLeft = max(0, seat.timeBankLeft - max(0, now - timeBankStartedAt)) }
        seat.consecutiveTimeouts = 0
        if seat.isSittingOut {
            seat.isSittingOut = false
            seat.sittingOutSince = nil
            fx.append(.event(.sittingOut(seat: i, username: seat.username, isSittingOut: false)))
        }
        seats[i] = seat
        afterEngineStep(eventsFrom: start, now: now, &fx)
        settle(now: now, &fx)
        return fx
    }

    // MARK: The loop

    /// Runs everything that is due at `now`, then schedules the next wake-up.
    mutating func settle(now: Int64, _ fx: inout [TableEffect]) {
        guard stoppedReason == nil else { return }
        var guardCount = 0
        while guardCount < 1_000 {
            guardCount += 1
            processRemovals(now: now, &fx)
            if isHandRunning {
                if stepTurn(now: now, &fx) { continue }
                break
            }
            if canStartHand(now: now) {
                startHand(now: now, &fx)
                continue
            }
            break
        }
        scheduleWake(now: now, &fx)
    }

    /// Reconnect grace and sit-out expiries.
    mutating func processRemovals(now: Int64, _ fx: inout [TableEffect]) {
        if isClosing && !isHandRunning {
            for i in seats.indices where seats[i]?.phase == .seated {
                _ = removePlayer(at: i, reason: .tableClosed, now: now, &fx)
            }
            return
        }
        for i in seats.indices {
            guard let s = seats[i], s.phase == .seated else { continue }
            if !s.isConnected, let at = s.disconnectedAt, now >= at + settings.reconnectGraceMillis {
                _ = removePlayer(at: i, reason: .disconnected, now: now, &fx)
                continue
            }
            if s.isSittingOut, !s.inHand || !isHandRunning, let since = s.sittingOutSince,
               now >= since + settings.sitOutTimeoutMillis {
                _ = removePlayer(at: i, reason: .sitOutTimeout, now: now, &fx)
            }
        }
    }

    /// One step of the running hand's clock: auto-acts for leavers and sitting-out players,
    /// time bank, timeout. Returns whether something changed.
    mutating func stepTurn(now: Int64, _ fx: inout [TableEffect]) -> Bool {
        guard let h = hand, !h.isFinished, let a = h.actor, h.legalActions() != nil, let s = seats[a] else {
            return false
        }
        if s.phase == .left {
            // Leavers are folded when they leave; this only guards against a left seat ever
            // holding the turn.
            forfeitHand(of: a, now: now, &fx)
            return true
        }
        if s.isSittingOut {
            applyAutomatic(.timeout, seat: a, timedOut: false, now: now, &fx)
            return true
        }
        guard let deadline = actionDeadline, now >= deadline else { return false }
        if !turnUsesTimeBank && s.timeBankLeft > 0 {
            turnUsesTimeBank = true
            timeBankStartedAt = deadline
            actionDeadline = deadline + s.timeBankLeft
            version &+= 1
            return true
        }
        var seat = s
        if turnUsesTimeBank { seat.timeBankLeft = 0 }
        seat.consecutiveTimeouts += 1
        seats[a] = seat
        if seat.consecutiveTimeouts >= 2 { markSittingOut(a, now: now, &fx) }
        applyAutomatic(.timeout, seat: a, timedOut: true, now: now, &fx)
        return true
    }

    mutating func applyAutomatic(_ action: PlayerAction, seat: Int, timedOut: Bool, now: Int64, _ fx: inout [TableEffect]) {
        guard var h = hand else { return }
        hand = nil
        let start = h.events.count
        do {
            _ = try h.apply(action, by: seat)
            hand = consume h
            afterEngineStep(eventsFrom: start, now: now, &fx)
        } catch {
            hand = consume h
            // The timeout action (check or fold) is always legal; if the engine still refuses,
            // stop rather than loop.
            stopWithEffect(reason: "engine refused \(action) for seat \(seat): \(error.reason)", &fx)
        }
    }

    /// Folds the hand of seat `seat` at once, out of turn if need be (a leaver), then finishes
    /// the hand or, if the turn moved, starts the next turn's clock (an unchanged actor keeps
    /// its deadline).
    mutating func forfeitHand(of seat: Int, now: Int64, _ fx: inout [TableEffect]) {
        guard var h = hand else { return }
        hand = nil
        let start = h.events.count
        let actorBefore = h.actor
        let streetBefore = h.street
        do {
            _ = try h.forfeit(seat: seat)
            let turnMoved = h.actor != actorBefore || h.street != streetBefore
            hand = consume h
            version &+= 1
            translate(from: start, &fx)
            guard let finished = hand?.isFinished else { return }
            if finished {
                finishHand(now: now, &fx)
            } else if turnMoved {
                beginTurn(now: now)
            }
        } catch {
            hand = consume h
            stopWithEffect(reason: "engine refused to fold seat \(seat) out of turn: \(error.reason)", &fx)
        }
    }

    mutating func stopWithEffect(reason: String, _ fx: inout [TableEffect]) {
        stop(reason: reason)
        fx.append(.stopped(reason: reason))
    }

    /// Translates engine events, then finishes the hand or starts the next turn.
    mutating func afterEngineStep(eventsFrom start: Int, now: Int64, _ fx: inout [TableEffect]) {
        version &+= 1
        translate(from: start, &fx)
        guard let finished = hand?.isFinished else { return }
        if finished {
            finishHand(now: now, &fx)
        } else {
            beginTurn(now: now)
        }
    }

    mutating func beginTurn(now: Int64) {
        actionDeadline = now + settings.actionTimeoutMillis
        turnUsesTimeBank = false
    }

    // MARK: Hand start and end

    /// Seats that would be dealt into a hand now.
    public var dealableSeats: [Bool] { seats.map { $0?.canBeDealtIn ?? false } }

    func canStartHand(now: Int64) -> Bool {
        guard stoppedReason == nil, !isClosing, !isHandRunning, !awaitingHandRecord, now >= nextHandAt else { return false }
        var c = 0
        for case let s? in seats where s.canBeDealtIn { c += 1 }
        return c >= 2
    }

    mutating func startHand(now: Int64, _ fx: inout [TableEffect]) {
        applyPendingSettings()
        let dealt = dealableSeats
        guard dealt.filter({ $0 }).count >= 2 else { return }
        let setups = seats.map { s -> SeatSetup in
            guard let s else { return .empty }
            return SeatSetup(stack: s.stack, sittingIn: s.canBeDealtIn)
        }
        let deck = deckSource.nextDeck()
        var candidates: [HandPositions] = []
        if let last = lastPositions, last.bigBlind < seats.count, let p = last.next(dealtIn: dealt) { candidates.append(p) }
        let firstButton = lastPositions.map { ($0.button + 1) % seats.count } ?? (dealt.firstIndex(of: true) ?? 0)
        if let p = HandPositions.standard(button: firstButton, dealtIn: dealt) { candidates.append(p) }
        var started: HandState?
        var lastError = "no positions"
        for p in candidates {
            do {
                started = try HandState(rules: settings.rules, seats: setups, positions: p, deck: deck)
                break
            } catch {
                lastError = error.reason
            }
        }
        guard let h = started else {
            stopWithEffect(reason: "cannot start a hand: \(lastError)", &fx)
            return
        }
        handNumber += 1
        handStartedAt = now
        lastPositions = h.positions
        for i in seats.indices where dealt[i] { seats[i]?.inHand = true; seats[i]?.paidDuringHand = 0 }
        hand = h
        handUsers = seats.map { $0?.user }
        fx.append(.event(.handStarted(handNumber: handNumber, positions: h.positions,
                                      seats: dealt.indices.filter { dealt[$0] })))
        version &+= 1
        translate(from: 0, &fx)
        if h.isFinished {
            finishHand(now: now, &fx)
        } else {
            beginTurn(now: now)
        }
    }

    mutating func finishHand(now: Int64, _ fx: inout [TableEffect]) {
        guard let h = hand, let record = h.record else { return }
        actionDeadline = nil
        turnUsesTimeBank = false
        var players: [HandPlayerResult] = []
        var stacks: [Int?] = Array(repeating: nil, count: seats.count)
        for case let s? in seats where s.inHand {
            let r = record.seats[s.seat]
            players.append(HandPlayerResult(seat: s.seat, user: s.user, username: s.username,
                                            startingStack: r.startingStack, finalStack: r.finalStack))
            stacks[s.seat] = r.finalStack
        }
        let winners = record.winners.map { WinnerShare(seat: $0.seat, username: seats[$0.seat]?.username ?? "", amount: $0.amount) }
        if record.wentToShowdown {
            let shown = record.showdown.map { hand -> ShowdownHand in
                var v = hand
                if !v.shown { v.cards = [] }
                return v
            }
            fx.append(.event(.showdown(handNumber: handNumber, shown: shown, pots: record.pots, winners: winners)))
        }
        fx.append(.event(.handFinished(handNumber: handNumber, winners: winners, rake: record.rake, stacks: stacks)))
        totalRake += record.rake
        fx.append(.handFinished(HandResult(tableID: settings.tableID, handNumber: handNumber, record: record,
                                           players: players, rake: record.rake, startedAt: handStartedAt,
                                           finishedAt: now)))
        awaitingHandRecord = requiresHandRecord
        nextHandAt = now + settings.handPauseMillis
        version &+= 1
        for i in seats.indices {
            guard var s = seats[i], s.inHand else { continue }
            s.stack = record.seats[i].finalStack
            s.inHand = false
            if s.phase == .left {
                let pay = s.stack - s.paidDuringHand
                seats[i] = nil
                totalCashOuts += pay
                if pay > 0 {
                    fx.append(.cashOut(CashOut(tableID: settings.tableID, user: s.user, amount: pay,
                                               reason: .handEndAfterLeave, handNumber: handNumber)))
                }
                continue
            }
            s.paidDuringHand = 0
            s.timeBankLeft = refilledTimeBank(s.timeBankLeft)
            if s.stack == 0 {
                seats[i] = nil
                fx.append(.cashOut(CashOut(tableID: settings.tableID, user: s.user, amount: 0, reason: .busted,
                                           handNumber: handNumber)))
                fx.append(.event(.playerLeft(seat: i, username: s.username, reason: .busted)))
                continue
            }
            seats[i] = s
        }
        applyPendingSettings()
    }

    /// The bank after a hand the player was dealt into: `timeBankRefillMillis` more, never
    /// above `timeBankMillis` (nor below 0).
    func refilledTimeBank(_ left: Int64) -> Int64 {
        let cap = settings.timeBankMillis
        let (sum, overflow) = max(0, left).addingReportingOverflow(settings.timeBankRefillMillis)
        return overflow ? cap : min(cap, sum)
    }

    // MARK: Wake-ups

    /// The next time something is due (turn clock, grace, sit-out, next hand), if any.
    public func nextWake(now: Int64) -> Int64? {
        guard stoppedReason == nil else { return nil }
        var best: Int64?
        func consider(_ t: Int64) { if let b = best, b <= t { return }; best = t }
        if isHandRunning, let d = actionDeadline { consider(d) }
        for case let s? in seats where s.phase == .seated {
            if !s.isConnected, let at = s.disconnectedAt { consider(at + settings.reconnectGraceMillis) }
            if s.isSittingOut, let since = s.sittingOutSince { consider(since + settings.sitOutTimeoutMillis) }
        }
        if !isHandRunning, !awaitingHandRecord, !isClosing {
            var c = 0
            for case let s? in seats where s.canBeDealtIn { c += 1 }
            if c >= 2 { consider(nextHandAt) }
        }
        return best.map { max($0, now) }
    }

    mutating func scheduleWake(now: Int64, _ fx: inout [TableEffect]) {
        let wake = nextWake(now: now)
        if let wake, wake != lastWake { fx.append(.wake(at: wake)) }
        lastWake = wake
    }

    // MARK: Events

    mutating func translate(from start: Int, _ fx: inout [TableEffect]) {
        guard let h = hand, start < h.events.count else { return }
        for e in h.events[start...] {
            switch e {
            case .forcedBet(let f):
                fx.append(.event(.forcedBet(handNumber: handNumber, f)))
            case .action(let a):
                fx.append(.event(.action(handNumber: handNumber, a)))
            case .uncalledBetReturned(let p):
                fx.append(.event(.uncalledBetReturned(handNumber: handNumber, p)))
            case .streetDealt(let street, let cards):
                fx.append(.event(.street(handNumber: handNumber, street: street, cards: cards,
                                         board: Array(h.board.prefix(street.boardCount)))))
            case .handsExposed(let exposed):
                let hands = exposed.map { ExposedHand(seat: $0, cards: h.holeCards(of: $0)) }
                fx.append(.event(.handsExposed(handNumber: handNumber, hands: hands)))
            case .handStarted, .holeCardsDealt, .potsFormed, .showdown, .potAwarded, .rakeTaken, .handFinished:
                break
            }
        }
    }
}
