/// What one viewer may see of a hand: public information plus their own hole cards, and
/// other players' cards only once they are exposed (all-in runout) or shown at showdown.
public struct HandView: Codable, Sendable, Equatable, Hashable {
    /// One seat as seen by the viewer.
    public struct SeatView: Codable, Sendable, Equatable, Hashable {
        public var seat: Int
        public var stack: Int
        /// Bet on the current street.
        public var bet: Int
        public var status: SeatStatus
        /// Hole cards visible to the viewer (empty when hidden or not dealt in).
        @CardsAsText public var cards: [Card]
        /// Whether the seat holds cards the viewer cannot see.
        public var hasHiddenCards: Bool
        /// Chips won (after the hand finishes).
        public var won: Int
    }

    /// The viewing seat, or `nil` for a spectator.
    public var viewer: Int?
    public var variant: GameVariant
    public var positions: HandPositions
    public var street: Street
    @CardsAsText public var board: [Card]
    public var seats: [SeatView]
    /// Pots from finished streets (final pots once the hand is over).
    public var pots: [Pot]
    /// All chips in the middle, including this street's bets.
    public var totalPot: Int
    /// The seat to act.
    public var actor: Int?
    /// The viewer's legal actions when it is their turn.
    public var legal: LegalActions?
    public var isFinished: Bool
    /// Hands shown (mucked hands appear with `shown == false` and no cards).
    public var showdown: [ShowdownHand]
    public var rake: Int
}

extension HandState {
    /// The hand as `viewer` may see it (`nil` = spectator, who sees no hole cards until shown).
    public func view(for viewer: Int?) -> HandView {
        var shownSeats = Set<Int>()
        for h in showdownHands where h.shown { shownSeats.insert(h.seat) }
        let seatViews = seats.indices.map { i -> HandView.SeatView in
            let s = seats[i]
            let holds = s.status.isLive || (viewer == i && s.status == .folded)
            let visible = s.status != .out && (viewer == i || shownSeats.contains(i) || (handsExposed && s.status.isLive))
            return HandView.SeatView(seat: i, stack: s.stack, bet: s.bet, status: s.status,
                                     cards: visible ? holeCards(of: i) : [],
                                     hasHiddenCards: holds && !visible, won: s.won)
        }
        let showdownView = showdownHands.map { h -> ShowdownHand in
            var v = h
            if !h.shown && viewer != h.seat { v.cards = [] }
            return v
        }
        let legal = (viewer != nil && viewer == actor) ? legalActions() : nil
        return HandView(viewer: viewer, variant: rules.variant, positions: positions, street: street, board: board,
                        seats: seatViews, pots: pots, totalPot: totalPot, actor: actor, legal: legal,
                        isFinished: isFinished, showdown: showdownView, rake: rakeTaken)
    }
}
