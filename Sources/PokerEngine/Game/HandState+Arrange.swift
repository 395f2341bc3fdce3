extension HandState {
    /// Builds the deck order that deals the given cards: `holeCards[seat]` to each dealt-in seat
    /// (an empty list = any cards) and `board` (0…5 cards, the rest any cards). Unspecified cards
    /// and burns are taken from the unused cards in index order (2c, 2d, …), so the result is
    /// deterministic. Used by `felt engine` with explicit cards and by hand-history replays.
    public static func arrangeDeck(variant: GameVariant, seats: [SeatSetup], positions: HandPositions,
                                   holeCards: [[Card]], board: [Card]) throws(HandError) -> [Card] {
        let n = seats.count
        guard (0..<n).contains(positions.button) else { throw .invalidSetup("button \(positions.button) is not a seat") }
        guard holeCards.count <= n else { throw .invalidSetup("hole cards given for \(holeCards.count) seats, the table has \(n)") }
        guard board.count <= 5 else { throw .invalidSetup("the board has at most 5 cards") }
        let holeCount = variant.holeCardCount
        var used: UInt64 = 0
        func claim(_ c: Card) throws(HandError) {
            let bit: UInt64 = 1 << UInt64(c.index)
            guard used & bit == 0 else { throw .invalidSetup("card \(c) is used twice") }
            used |= bit
        }
        for (seat, h) in holeCards.enumerated() where !h.isEmpty {
            guard seats[seat].isDealtIn else { throw .invalidSetup("seat \(seat) is not dealt in but has hole cards") }
            guard h.count == holeCount else {
                throw .invalidSetup("seat \(seat) needs \(holeCount) hole cards, got \(h.count)")
            }
            for c in h { try claim(c) }
        }
        for c in board { try claim(c) }
        var spare = Card.fullDeck.filter { used & (1 << UInt64($0.index)) == 0 }.makeIterator()
        var order: [Int] = []
        var i = positions.button
        for _ in 0..<n {
            i = (i + 1) % n
            if seats[i].isDealtIn { order.append(i) }
        }
        var deck: [Card] = []
        deck.reserveCapacity(52)
        for round in 0..<holeCount {
            for seat in order {
                if seat < holeCards.count, !holeCards[seat].isEmpty {
                    deck.append(holeCards[seat][round])
                } else if let c = spare.next() {
                    deck.append(c)
                }
            }
        }
        var boardCards = board.makeIterator()
        for count in [3, 1, 1] {
            if let burn = spare.next() { deck.append(burn) }
            for _ in 0..<count {
                if let c = boardCards.next() ?? spare.next() { deck.append(c) }
            }
        }
        while let c = spare.next() { deck.append(c) }
        return deck
    }
}
