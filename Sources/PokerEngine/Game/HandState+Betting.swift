extension HandState {
    // MARK: Rounds

    /// Fixed-limit bet size for the current street.
    var limitBetSize: Int { street <= .flop ? rules.smallBet : rules.bigBet }

    mutating func startPreflop() {
        street = .preflop
        currentBet = rules.bigBlind
        lastFullRaise = rules.variant == .flhe ? limitBetSize : rules.bigBlind
        raiseCount = 1
        capApplies = rules.raiseCap != nil && liveCount > 2
        lastAggressor = nil
        actor = nextSeat(after: positions.bigBlind, .active)
        continueOrAdvance()
    }

    mutating func startStreet(_ next: Street) {
        dealBoard(to: next)
        for i in seats.indices {
            seats[i].bet = 0
            seats[i].acted = false
            seats[i].levelAtLastAction = 0
        }
        currentBet = 0
        lastFullRaise = rules.variant == .flhe ? limitBetSize : rules.bigBlind
        raiseCount = 0
        capApplies = rules.raiseCap != nil && liveCount > 2
        lastAggressor = nil
        actor = nextSeat(after: positions.button, .active)
        continueOrAdvance()
    }

    /// Whether `seat` still has to act this round.
    @inline(__always)
    func isPending(_ s: SeatState) -> Bool {
        s.status == .active && (!s.acted || s.bet < currentBet)
    }

    /// The betting round is over: nobody owes anything and everyone able to act has acted,
    /// or at most one player can act and owes nothing.
    var roundComplete: Bool {
        @inline(__always) get {
            var active = 0
            var pending = false
            var loneOwes = false
            for s in seats where s.status == .active {
                active += 1
                if !s.acted || s.bet < currentBet { pending = true }
                if s.bet < currentBet { loneOwes = true }
            }
            if !pending { return true }
            return active == 1 && !loneOwes
        }
    }

    /// After the actor changed or an action was applied: keep going, or close the round.
    mutating func continueOrAdvance() {
        if liveCount <= 1 { finishUncontested(); return }
        if roundComplete { endRound(); return }
        if let a = actor, isPending(seats[a]) { return }
        actor = nextSeat(after: actor ?? positions.button, .pending)
    }

    mutating func endRound() {
        returnUncalledBet()
        actor = nil
        if liveCount <= 1 { finishUncontested(); return }
        if activeCount <= 1 {
            if !handsExposed {
                handsExposed = true
                var exposed: [Int] = []
                for (i, s) in seats.enumerated() where s.status.isLive { exposed.append(i) }
                events.append(.handsExposed(seats: exposed))
            }
            while street < .river {
                let next: Street = street == .preflop ? .flop : (street == .flop ? .turn : .river)
                dealBoard(to: next)
            }
            for i in seats.indices { seats[i].bet = 0 }
            runShowdown()
            return
        }
        switch street {
        case .preflop: startStreet(.flop)
        case .flop: startStreet(.turn)
        case .turn: startStreet(.river)
        case .river:
            for i in seats.indices { seats[i].bet = 0 }
            runShowdown()
        }
    }

    /// Gives the unmatched part of the street's highest bet back to its owner.
    mutating func returnUncalledBet() {
        var top = -1, topBet = 0, second = 0
        for (i, s) in seats.enumerated() {
            if s.bet > topBet { second = topBet; topBet = s.bet; top = i } else if s.bet > second { second = s.bet }
        }
        // A folded top bettor (a forfeit after betting) gets nothing back: its chips stay in the pot.
        guard top >= 0, topBet > second, seats[top].status != .folded else { return }
        let excess = topBet - second
        seats[top].bet -= excess
        seats[top].committed -= excess
        seats[top].stack += excess
        if seats[top].status == .allIn { setStatus(top, .active) }
        uncalledReturns.append(Payout(seat: top, amount: excess))
        events.append(.uncalledBetReturned(Payout(seat: top, amount: excess)))
    }

    // MARK: Legal actions

    /// Chips in the middle (pots plus bets), for pot-limit math; preflop it assumes full blinds.
    var potForLimit: Int {
        var total = 0
        for s in seats { total += s.committed }
        return street == .preflop ? total + blindDeficit : total
    }

    /// Why the actor may not bet or raise, or `nil` when they may.
    func raiseBlockReason(_ seatIndex: Int) -> String? {
        let s = seats[seatIndex]
        if s.stack <= currentBet - s.bet { return "the stack only covers a call" }
        // Someone must be able to put in more than the current bet, else a raise is pointless
        // (every opponent is all in, or covered by the current bet).
        var opponentCanRespond = false
        for (i, o) in seats.enumerated() where i != seatIndex && o.status == .active && o.stack + o.bet > currentBet {
            opponentCanRespond = true
            break
        }
        if !opponentCanRespond { return "every opponent is all in or covered" }
        if s.acted && currentBet - s.levelAtLastAction < lastFullRaise {
            return "the betting was not reopened by a full raise"
        }
        if rules.variant == .flhe, capApplies, let cap = rules.raiseCap, raiseCount >= cap {
            return "the raise cap of \(cap) is reached"
        }
        return nil
    }

    /// The legal-action envelope of the player to act, or `nil` when the hand is finished.
    public func legalActions() -> LegalActions? {
        guard let a = actor else { return nil }
        let s = seats[a]
        let owed = currentBet - s.bet
        let allInTo = s.bet + s.stack
        var minTo = 0, maxTo = 0
        let canRaise = raiseBlockReason(a) == nil
        if canRaise {
            switch rules.variant {
            case .nlhe:
                maxTo = allInTo
                minTo = min(currentBet + lastFullRaise, allInTo)
            case .plo:
                let fullMinimum = currentBet + lastFullRaise
                maxTo = min(max(currentBet + potForLimit + owed, fullMinimum), allInTo)
                minTo = min(fullMinimum, allInTo)
            case .flhe:
                maxTo = min(currentBet + limitBetSize, allInTo)
                minTo = maxTo
            }
        }
        return LegalActions(seat: a, canFold: owed > 0, canCheck: owed <= 0, callAmount: max(0, min(owed, s.stack)),
                            canRaise: canRaise, minRaiseTo: minTo, maxRaiseTo: maxTo, isBet: currentBet == 0,
                            currentBet: s.bet, stack: s.stack)
    }

    // MARK: Applying actions

    /// Applies `action` by `seat` and returns the events it produced.
    /// Throws (changing nothing) when it is not the seat's turn or the action is illegal.
    @discardableResult
    public mutating func apply(_ action: PlayerAction, by seat: Int) throws(HandError) -> ArraySlice<HandEvent> {
        guard !isFinished, let a = actor else { throw .handFinished }
        guard seat == a else { throw .notYourTurn(seat: seat, actor: a) }
        let start = events.count
        try applyToActor(action)
        return events[start...]
    }

    /// Non-mutating form of `apply(_:by:)`: the next state and the new events.
    public func applying(_ action: PlayerAction, by seat: Int) throws(HandError) -> (state: HandState, events: ArraySlice<HandEvent>) {
        var next = self
        let new = try next.apply(action, by: seat)
        return (next, new)
    }

    mutating func applyToActor(_ action: PlayerAction) throws(HandError) {
        guard let a = actor else { throw .handFinished }
        let owed = currentBet - seats[a].bet
        switch action {
        case .fold:
            guard owed > 0 else { throw .cannotFold }
            fold(a, timedOut: false)
        case .check:
            guard owed <= 0 else { throw .cannotCheck(owed: min(owed, seats[a].stack)) }
            check(a, timedOut: false)
        case .call:
            if owed <= 0 { check(a, timedOut: false) } else { call(a) }
        case .timeout:
            if owed <= 0 { check(a, timedOut: true) } else { fold(a, timedOut: true) }
        case .bet(let to), .raise(let to):
            try raise(a, to: to)
        case .allIn:
            let s = seats[a]
            if s.stack <= owed { call(a); break }
            if let why = raiseBlockReason(a) { throw .allInNotAllowed(why) }
            let allInTo = s.bet + s.stack
            if let legal = legalActions(), allInTo > legal.maxRaiseTo {
                throw .allInNotAllowed("all in to \(allInTo) is above the maximum raise to \(legal.maxRaiseTo)")
            }
            try raise(a, to: allInTo)
        }
        continueOrAdvance()
    }

    mutating func fold(_ a: Int, timedOut: Bool) {
        setStatus(a, .folded)
        seats[a].acted = true
        events.append(.action(ActionRecord(seat: a, street: street, kind: .fold, amount: 0, to: seats[a].bet,
                                           isAllIn: false, timedOut: timedOut)))
    }

    mutating func check(_ a: Int, timedOut: Bool) {
        seats[a].acted = true
        seats[a].levelAtLastAction = currentBet
        events.append(.action(ActionRecord(seat: a, street: street, kind: .check, amount: 0, to: seats[a].bet,
                                           isAllIn: false, timedOut: timedOut)))
    }

    mutating func call(_ a: Int) {
        let added = min(currentBet - seats[a].bet, seats[a].stack)
        seats[a].stack -= added
        seats[a].bet += added
        seats[a].committed += added
        if seats[a].stack == 0 { setStatus(a, .allIn) }
        seats[a].acted = true
        seats[a].levelAtLastAction = currentBet
        events.append(.action(ActionRecord(seat: a, street: street, kind: .call, amount: added, to: seats[a].bet,
                                           isAllIn: seats[a].stack == 0, timedOut: false)))
    }

    mutating func raise(_ a: Int, to: Int) throws(HandError) {
        if let why = raiseBlockReason(a) { throw .raiseNotAllowed(why) }
        guard let legal = legalActions() else { throw .handFinished }
        let allInTo = legal.allInTo
        if to <= currentBet { throw .raiseNotAboveBet(to: to, currentBet: currentBet) }
        if to > allInTo { throw .raiseAboveStack(to: to, allIn: allInTo) }
        if to > legal.maxRaiseTo { throw .raiseAboveMaximum(to: to, maximum: legal.maxRaiseTo) }
        if to < legal.minRaiseTo { throw .raiseBelowMinimum(to: to, minimum: legal.minRaiseTo) }
        let wasBet = currentBet == 0
        let increment = to - currentBet
        let added = to - seats[a].bet
        seats[a].stack -= added
        seats[a].bet = to
        seats[a].committed += added
        if seats[a].stack == 0 { setStatus(a, .allIn) }
        if increment >= lastFullRaise {
            lastFullRaise = rules.variant == .flhe ? limitBetSize : increment
            raiseCount += 1
        }
        currentBet = to
        seats[a].acted = true
        seats[a].levelAtLastAction = to
        lastAggressor = a
        events.append(.action(ActionRecord(seat: a, street: street, kind: wasBet ? .bet : .raise, amount: added,
                                           to: to, isAllIn: seats[a].stack == 0, timedOut: false)))
    }
}
