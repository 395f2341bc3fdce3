extension HandPositions {
    /// Standard positions for a hand from the button alone (no history): three or more
    /// players post the blinds on the next two dealt-in seats left of the button; heads-up,
    /// the button posts the small blind (the next dealt-in seat from the button, inclusive).
    /// Returns `nil` when the button is not a seat or fewer than two seats are dealt in.
    public static func standard(button: Int, seats: [SeatSetup]) -> HandPositions? {
        let n = seats.count
        guard (0..<n).contains(button) else { return nil }
        var players = 0
        for s in seats where s.isDealtIn { players += 1 }
        guard players >= 2 else { return nil }
        func next(after seat: Int) -> Int {
            var i = seat
            repeat { i = (i + 1) % n } while !seats[i].isDealtIn
            return i
        }
        if players == 2 {
            let sb = seats[button].isDealtIn ? button : next(after: button)
            return HandPositions(button: sb, smallBlind: sb, bigBlind: next(after: sb))
        }
        let sb = next(after: button)
        return HandPositions(button: button, smallBlind: sb, bigBlind: next(after: sb))
    }

    /// `standard(button:seats:)` for a dealt-in mask.
    public static func standard(button: Int, dealtIn: [Bool]) -> HandPositions? {
        let n = dealtIn.count
        guard (0..<n).contains(button), dealtIn.filter({ $0 }).count >= 2 else { return nil }
        func next(after seat: Int) -> Int {
            var i = seat
            repeat { i = (i + 1) % n } while !dealtIn[i]
            return i
        }
        if dealtIn.filter({ $0 }).count == 2 {
            let sb = dealtIn[button] ? button : next(after: button)
            return HandPositions(button: sb, smallBlind: sb, bigBlind: next(after: sb))
        }
        let sb = next(after: button)
        return HandPositions(button: button, smallBlind: sb, bigBlind: next(after: sb))
    }

    /// Positions for the next hand under the moving-big-blind (dead-button) rule.
    ///
    /// - The big blind moves to the next dealt-in seat after last hand's big blind, so nobody
    ///   posts the big blind twice in a row and nobody skips it.
    /// - Three or more players: the small blind is last hand's big-blind seat; if that player
    ///   is gone, no small blind is posted (dead small blind). The button moves to last hand's
    ///   small-blind seat even if that player is gone (dead button).
    /// - Heads-up: the button posts the small blind and is the other player.
    ///
    /// `dealtIn[i]` says whether seat `i` is dealt into the next hand. Returns `nil` with fewer
    /// than two players.
    public func next(dealtIn: [Bool]) -> HandPositions? {
        let n = dealtIn.count
        let players = dealtIn.filter { $0 }.count
        guard players >= 2, (0..<n).contains(bigBlind) else { return nil }
        func nextDealt(after seat: Int) -> Int {
            var i = seat
            repeat { i = (i + 1) % n } while !dealtIn[i]
            return i
        }
        let newBigBlind = nextDealt(after: bigBlind)
        if players == 2 {
            let other = nextDealt(after: newBigBlind)
            return HandPositions(button: other, smallBlind: other, bigBlind: newBigBlind)
        }
        // Small blind position: last hand's big blind seat (dead if that player is gone).
        let smallBlindSeat = bigBlind
        let newSmallBlind: Int? = dealtIn[smallBlindSeat] && smallBlindSeat != newBigBlind ? smallBlindSeat : nil
        // Button: last hand's small-blind position (the seat between the button and the big blind).
        var newButton = smallBlind ?? (bigBlind - 1 + n) % n
        if newButton == newBigBlind || newButton == newSmallBlind {
            // The geometry changed too much (e.g. coming from heads-up): put the button on the
            // nearest dealt-in seat counter-clockwise from the small-blind position.
            var i = smallBlindSeat
            repeat { i = (i - 1 + n) % n } while !dealtIn[i] || i == newBigBlind || i == newSmallBlind
            newButton = i
        }
        return HandPositions(button: newButton, smallBlind: newSmallBlind, bigBlind: newBigBlind)
    }
}
