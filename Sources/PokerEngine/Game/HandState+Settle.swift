extension HandState {
    // MARK: Pots

    /// Builds main and side pots from per-seat contributions: one layer per distinct
    /// contribution level of the live seats; folded chips stay in the layers they reach;
    /// only live seats that reached a layer are eligible for it.
    func buildPots(contribution: (SeatState) -> Int) -> [Pot] {
        var pots: [Pot] = []
        var previous = 0
        let n = seats.count
        while true {
            // The next contribution level of a live seat above `previous` (no buffers: n <= 10).
            var level = Int.max
            for s in seats where s.status.isLive {
                let c = contribution(s)
                if c > previous && c < level { level = c }
            }
            if level == Int.max { break }
            var isTop = true
            for s in seats where s.status.isLive && contribution(s) > level { isTop = false; break }
            var amount = 0
            var eligible: [Int] = []
            eligible.reserveCapacity(n)
            for i in 0..<n {
                let s = seats[i]
                let c = contribution(s)
                if c > previous { amount += isTop ? c - previous : min(c, level) - previous }
                if s.status.isLive && c >= level { eligible.append(i) }
            }
            if amount > 0 { pots.append(Pot(amount: amount, eligible: eligible)) }
            previous = level
        }
        if previous == 0 {
            // Nothing from live seats: everything (if anything) goes to the live seats.
            var amount = 0
            var eligible: [Int] = []
            for i in 0..<n {
                amount += contribution(seats[i])
                if seats[i].status.isLive { eligible.append(i) }
            }
            if amount > 0 { pots.append(Pot(amount: amount, eligible: eligible)) }
        }
        return pots
    }

    /// Adds the dead money (a big-blind ante) to the main pot.
    func addingDeadMoney(to pots: [Pot]) -> [Pot] {
        var dead = 0
        for s in seats { dead += s.dead }
        guard dead > 0 else { return pots }
        var pots = pots
        if pots.isEmpty {
            var eligible: [Int] = []
            for (i, s) in seats.enumerated() where s.status.isLive { eligible.append(i) }
            pots.append(Pot(amount: dead, eligible: eligible))
        } else {
            pots[0].amount += dead
        }
        return pots
    }

    /// The pots as they stand (chips from finished streets; current-street bets not included).
    public var pots: [Pot] {
        if isFinished { return finalPots.map { Pot(amount: $0.amount, eligible: $0.eligible) } }
        return addingDeadMoney(to: buildPots { $0.committed - $0.dead - $0.bet })
    }

    /// All chips in the middle: pots plus the current street's bets.
    public var totalPot: Int {
        if isFinished { return finalPots.reduce(0) { $0 + $1.amount } }
        var t = 0
        for s in seats { t += s.committed }
        return t
    }

    /// Final pots; a top layer that only its own contributor reached is returned, not raked;
    /// dead money (a big-blind ante) goes to the main pot.
    mutating func formFinalPots() -> [Pot] {
        var pots = buildPots { $0.committed - $0.dead }
        if let last = pots.last, last.eligible.count == 1 {
            let seat = last.eligible[0]
            var others = false
            let floor = seats[seat].committed - seats[seat].dead - last.amount
            for (i, s) in seats.enumerated() where i != seat && s.committed - s.dead > floor { others = true; break }
            if !others {
                pots.removeLast()
                seats[seat].committed -= last.amount
                seats[seat].stack += last.amount
                uncalledReturns.append(Payout(seat: seat, amount: last.amount))
                events.append(.uncalledBetReturned(Payout(seat: seat, amount: last.amount)))
            }
        }
        pots = addingDeadMoney(to: pots)
        events.append(.potsFormed(pots))
        return pots
    }

    /// Rake for the whole hand: a percentage of all pots, capped per hand, none without a flop
    /// when configured. It is taken from the main pot first, then the side pots.
    func handRake(_ pots: [Pot]) -> Int {
        let rule = rules.rake
        guard rule.basisPoints > 0, !(rule.noFlopNoDrop && board.isEmpty) else { return 0 }
        var total = 0
        for pot in pots { total += pot.amount }
        let rake = total * rule.basisPoints / 10_000
        return rule.capPerHand > 0 ? min(rake, rule.capPerHand) : rake
    }

    // MARK: Endings

    mutating func finishUncontested() {
        returnUncalledBet()
        actor = nil
        for i in seats.indices { seats[i].bet = 0 }
        let pots = formFinalPots()
        var winner = 0
        for (i, s) in seats.enumerated() where s.status.isLive { winner = i; break }
        settle(pots) { seat, _ in seat == winner }
    }

    func strength(of seat: Int, buffer: inout [Card]) -> HandStrength {
        let base = seat * holeCount
        if rules.variant == .plo {
            return HandEvaluator.evaluateOmaha(hole: Array(hole[base..<(base + holeCount)]), board: board)
        }
        buffer.removeAll(keepingCapacity: true)
        buffer.append(hole[base])
        buffer.append(hole[base + 1])
        buffer.append(contentsOf: board)
        return HandEvaluator.evaluate(buffer)
    }

    mutating func runShowdown() {
        actor = nil
        let pots = formFinalPots()
        let n = seats.count
        // Strength value per seat and best shown value per pot (0 = none); n and the pot count
        // are at most 10, so fixed-size SIMD vectors keep this off the heap.
        var strengths = SIMD16<UInt16>()
        var bestShown = SIMD16<UInt16>()
        var buffer: [Card] = []
        buffer.reserveCapacity(7)
        for i in 0..<n where seats[i].status.isLive { strengths[i] = strength(of: i, buffer: &buffer).value }

        // Showing order: the last aggressor of the final round, else first live seat left of the button.
        let first: Int
        if let aggressor = lastAggressor, seats[aggressor].status.isLive {
            first = aggressor
        } else {
            first = nextSeat(after: positions.button, .live) ?? positions.button
        }
        showdownHands.reserveCapacity(liveCount)
        for k in 0..<n {
            let seat = (first + k) % n
            guard seats[seat].status.isLive else { continue }
            let value = strengths[seat]
            var canWin = false
            for p in pots.indices where value >= bestShown[p] && pots[p].eligible.contains(seat) {
                canWin = true
                break
            }
            let shows = handsExposed || canWin
            if shows {
                for p in pots.indices where value > bestShown[p] && pots[p].eligible.contains(seat) {
                    bestShown[p] = value
                }
            }
            let entry = ShowdownHand(seat: seat, cards: holeCards(of: seat), shown: shows,
                                     strength: HandStrength(value: value))
            showdownHands.append(entry)
            events.append(.showdown(entry))
        }
        settle(pots) { seat, pot in
            var best: UInt16 = 0
            for s in pot.eligible where strengths[s] > best { best = strengths[s] }
            return strengths[seat] == best
        }
    }

    /// Takes the rake, splits every pot among its winners (odd chips one each to the winners in
    /// order from the first seat left of the button), and finishes the hand.
    mutating func settle(_ pots: [Pot], isWinner: (Int, Pot) -> Bool) {
        var rakeLeft = handRake(pots)
        if rakeLeft > 0 { events.append(.rakeTaken(rakeLeft)) }
        rakeTaken = rakeLeft
        let n = seats.count
        finalPots.reserveCapacity(pots.count)
        for (p, pot) in pots.enumerated() {
            let rake = min(rakeLeft, pot.amount)
            rakeLeft -= rake
            let share = pot.amount - rake
            var count = 0
            for seat in pot.eligible where isWinner(seat, pot) { count += 1 }
            guard count > 0 else { continue }  // unreachable: every pot has a live eligible seat
            let each = share / count
            var odd = share - each * count
            var payouts: [Payout] = []
            payouts.reserveCapacity(count)
            // Winners clockwise from the seat left of the button; odd chips one at a time from the first.
            for k in 1...n {
                let seat = (positions.button + k) % n
                guard pot.eligible.contains(seat), isWinner(seat, pot) else { continue }
                let amount = odd > 0 ? each + 1 : each
                if odd > 0 { odd -= 1 }
                seats[seat].stack += amount
                seats[seat].won += amount
                payouts.append(Payout(seat: seat, amount: amount))
                events.append(.potAwarded(pot: p, payout: Payout(seat: seat, amount: amount)))
            }
            finalPots.append(PotRecord(amount: pot.amount, eligible: pot.eligible, rake: rake, winners: payouts))
        }
        isFinished = true
        actor = nil
        events.append(.handFinished)
    }
}
