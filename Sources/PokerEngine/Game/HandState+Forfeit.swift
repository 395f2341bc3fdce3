extension HandState {
    // MARK: Forfeit (a player leaves the hand out of turn)

    /// Whether `seat` may forfeit now: the hand is running and the seat is in it, not folded
    /// and not all in.
    public func canForfeit(seat: Int) -> Bool {
        guard !isFinished, (0..<seats.count).contains(seat) else { return false }
        return seats[seat].status == .active
    }

    /// Folds `seat` at once, whether or not it is that seat's turn and whether or not it owes
    /// anything (a departing player). The seat's chips already committed stay in the pot(s) and
    /// it is never eligible for any pot.
    ///
    /// The hand goes on as after a fold: if it was the seat's turn the action passes on; else
    /// the current actor keeps the turn, unless the forfeit closed the betting round (the seat
    /// was the last one still to act), in which case the round ends as usual. When one player
    /// is left with live cards they win uncontested (any uncalled bet of theirs returned first);
    /// when nobody else can act, the board runs out.
    ///
    /// Recorded as an `ActionRecord` of kind `.fold` with `forfeited == true` (in `events` and
    /// `HandRecord.actions`).
    ///
    /// Throws (changing nothing) `handFinished`; `invalidSetup` for a seat number outside the
    /// table; `cannotForfeit` for a seat not dealt in, already folded, or all in (an all-in
    /// player stays in the hand and is paid when it ends).
    @discardableResult
    public mutating func forfeit(seat: Int) throws(HandError) -> ArraySlice<HandEvent> {
        guard !isFinished else { throw .handFinished }
        guard (0..<seats.count).contains(seat) else {
            throw .invalidSetup("seat \(seat) is not a seat (0..<\(seats.count))")
        }
        switch seats[seat].status {
        case .active: break
        case .out: throw .cannotForfeit(seat: seat, why: "not dealt in")
        case .folded: throw .cannotForfeit(seat: seat, why: "already folded")
        case .allIn: throw .cannotForfeit(seat: seat, why: "all in (stays in the hand until it ends)")
        }
        let start = events.count
        setStatus(seat, .folded)
        seats[seat].acted = true
        events.append(.action(ActionRecord(seat: seat, street: street, kind: .fold, amount: 0, to: seats[seat].bet,
                                           isAllIn: false, timedOut: false, forfeited: true)))
        continueOrAdvance()
        return events[start...]
    }

    /// Non-mutating form of `forfeit(seat:)`: the next state and the new events.
    public func forfeiting(seat: Int) throws(HandError) -> (state: HandState, events: ArraySlice<HandEvent>) {
        var next = self
        let new = try next.forfeit(seat: seat)
        return (next, new)
    }
}
