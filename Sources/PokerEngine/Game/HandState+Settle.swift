extension HandState {
    // MARK: Pots

    /// Builds main and side pots from per-seat contributions: one layer per distinct
    /// contribution level of the live seats; folded chips stay in the layers they reach;
    /// only live seats that reached a layer are eligible for it.
    func buildPots(contribution: (SeatState) -> Int) -> [Pot] {
        var levels: [Int] = []
        levels.reserveCapacity(seats.count)
        for s in seats where s.status.isLive {
            let c = contribution(s)
            if c > 0 && !levels.contains(c) { levels.append(c) }
        }
        levels.sort()
        var pots: [Pot] = []
        var previous = 0
        for (k, level) in levels.enumerated() {
            let isTop = k == levels.count - 1
            var amount = 0
            var eligible: [Int] = []
            for (i, s) in seats.enumerated() {
                let c = contribution(s)
                if c > previous { amount += isTop ? c - previous : min(c, level) - previous }
                if s.status.isLive && c >= level { eligible.append(i) }
            }
            if amount > 0 { pots.append(Pot(amount: amount, eligible: eligible)) }
            previous = level
        }
        if levels.isEmpty {
            // Nothing from live seats: everything (if anything) goes to the live seats.
            var amount = 0
            var eligible: [Int] = []
            for (i, s) in seats.enumerated() {
                amount += contribution(s)
                if s.status.isLive { eligible.append(i) }
            }
            if amount > 0 { pots.append(Pot(amount: amount, eligible: eligible)) }
        }
        return pots
    }

    /// The pots as they stand (chips from finished streets; current-street bets not included).
    public var pots: [Pot] {
        if isFinished { return finalPots.map { Pot(amount: $0.amount, eligible: $0.eligible) } }
        return buildPots { $0.committed - $0.bet }
    }

    /// All chips in the middle: pots plus the current street's bets.
    public var totalPot: Int {
        if isFinished { return finalPots.reduce(0) { $0 + $1.amount } }
        var t = 0
        for s in seats { t += s.committed }
        return t
    }

    /// Final pots; a top layer that only its own contributor reached is returned, not raked.
    mutating func formFinalPots() -> [Pot] {
        var pots = buildPots { $0.committed }
        if let last = pots.last, last.eligible.count == 1 {
            let seat = last.eligible[0]
            var others = false
            let floor = seats[seat].committed - last.amount
            for (i, s) in seats.enumerated() where i != seat && s.committed > floor { others = true; break }
            if !others {
                pots.removeLast()
                seats[seat].committed -= last.amount
                seats[seat].stack += last.amount
                uncalledReturns.append(Payout(seat: seat, amount: last.amount))
                events.append(.uncalledBetReturned(Payout(seat: seat, amount: last.amount)))
            }
        }
        events.append(.potsFormed(pots))
        return pots
    }

    /// Rake for the hand and its split over the pots (main pot first).
    func rakeSplit(_ pots: [Pot]) -> [Int] {
        var split = [Int](repeating: 0, count: pots.count)
        let rule = rules.rake
        guard rule.basisPoints > 0, !(rule.noFlopNoDrop && board.isEmpty) else { return split }
        let total = pots.reduce(0) { $0 + $1.amount }
        var rake = total * rule.basisPoints / 10_000
        if rule.capPerHand > 0 { rake = min(rake, rule.capPerHand) }
        for i in pots.indices where rake > 0 {
            let take = min(rake, pots[i].amount)
            split[i] = take
            rake -= take
        }
        return split
    }

    // MARK: Endings

    mutating func finishUncontested() {
        returnUncalledBet()
        actor = nil
        for i in seats.indices { seats[i].bet = 0 }
        let pots = formFinalPots()
        let rake = rakeSplit(pots)
        var winner = 0
        for (i, s) in seats.enumerated() where s.status.isLive { winner = i; break }
        settle(pots, rake: rake) { _ in [winner] }
    }

    /// Seats clockwise starting at `first`.
    func clockwise(from first: Int) -> [Int] {
        let n = seats.count
        var out: [Int] = []
        out.reserveCapacity(n)
        for k in 0..<n { out.append((first + k) % n) }
        return out
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
        let rake = rakeSplit(pots)
        var strengths = [HandStrength](repeating: HandStrength(value: 0), count: seats.count)
        var buffer: [Card] = []
        buffer.reserveCapacity(7)
        for i in seats.indices where seats[i].status.isLive { strengths[i] = strength(of: i, buffer: &buffer) }

        // Showing order: the last aggressor of the final round, else first live seat left of the button.
        let first: Int
        if let aggressor = lastAggressor, seats[aggressor].status.isLive {
            first = aggressor
        } else {
            first = nextSeat(after: positions.button) { $0.status.isLive } ?? positions.button
        }
        var bestShown = [HandStrength?](repeating: nil, count: pots.count)
        for seat in clockwise(from: first) where seats[seat].status.isLive {
            var canWin = false
            for (p, pot) in pots.enumerated() where pot.eligible.contains(seat) {
                if let best = bestShown[p], strengths[seat] < best { continue }
                canWin = true
            }
            let shows = handsExposed || canWin
            if shows {
                for (p, pot) in pots.enumerated() where pot.eligible.contains(seat) {
                    if let best = bestShown[p], best >= strengths[seat] { continue }
                    bestShown[p] = strengths[seat]
                }
            }
            let entry = ShowdownHand(seat: seat, cards: holeCards(of: seat), shown: shows, strength: strengths[seat])
            showdownHands.append(entry)
            events.append(.showdown(entry))
        }
        settle(pots, rake: rake) { pot in
            var best = HandStrength(value: 0)
            for seat in pot.eligible where strengths[seat] > best { best = strengths[seat] }
            return pot.eligible.filter { strengths[$0] == best }
        }
    }

    /// Takes the rake, splits every pot among its winners (odd chips to the first winner
    /// left of the button), and finishes the hand.
    mutating func settle(_ pots: [Pot], rake: [Int], winners: (Pot) -> [Int]) {
        let totalRake = rake.reduce(0, +)
        if totalRake > 0 { events.append(.rakeTaken(totalRake)) }
        rakeTaken = totalRake
        let n = seats.count
        for (p, pot) in pots.enumerated() {
            let share = pot.amount - rake[p]
            let potWinners = winners(pot)
            // Order the winners clockwise from the seat left of the button.
            var ordered: [Int] = []
            ordered.reserveCapacity(potWinners.count)
            for k in 1...n {
                let seat = (positions.button + k) % n
                if potWinners.contains(seat) { ordered.append(seat) }
            }
            let each = share / ordered.count
            var odd = share - each * ordered.count
            var payouts: [Payout] = []
            for seat in ordered {
                var amount = each
                if odd > 0 { amount += 1; odd -= 1 }
                seats[seat].stack += amount
                seats[seat].won += amount
                payouts.append(Payout(seat: seat, amount: amount))
                events.append(.potAwarded(pot: p, payout: Payout(seat: seat, amount: amount)))
            }
            finalPots.append(PotRecord(amount: pot.amount, eligible: pot.eligible, rake: rake[p], winners: payouts))
        }
        isFinished = true
        actor = nil
        events.append(.handFinished)
    }
}
