/// A PHH hand turned into what the engine needs to play it: rules, seats, positions,
/// a deck order and the players' actions in order.
public struct PHHEngineHand: Sendable, Equatable {
    /// One player action of the PHH `actions` array, mapped to a seat.
    public struct Step: Sendable, Equatable {
        /// Index in the PHH `actions` array.
        public var index: Int
        /// The PHH action as written.
        public var notation: PHHAction
        public var seat: Int
        public var action: PlayerAction
        /// A fold written `pN f # forfeit`: the player left the hand out of turn
        /// (`HandState.forfeit(seat:)`), as Felt's own exports write it.
        public var isForfeit: Bool = false
    }

    public var rules: GameRules
    public var seats: [SeatSetup]
    public var positions: HandPositions
    /// Deck order (hole cards round-robin from the seat left of the button, then burn+flop,
    /// burn+turn, burn+river, then the rest).
    public var deck: [Card]
    public var steps: [Step]
    /// Seat of each PHH player (player 1 first).
    public var playerSeats: [Int]
    /// Board cards the PHH file deals, in order (checked against the engine's board).
    public var board: [Card]
}

extension PHHHand {
    /// Converts the hand into engine input.
    ///
    /// Seats come from `seats` (1-based, default 1…N) and `seat_count`; the button is the
    /// `_button_seat` field or the last player's seat. Blinds and antes are read back from
    /// their per-player arrays (reversed heads-up, as PHH specifies): at most a small and a
    /// big blind (straddles are rejected), antes either uniform or on the big blind only.
    /// `min_bet` must equal the big blind. Fixed limit: `_raise_cap` (absent = no cap). The deck is `_deck` when present (it must deal
    /// the same cards), otherwise rebuilt from the dealt cards, with unknown (`??`) cards
    /// taken from shown hands or from unused cards. Shows and mucks are not replayed:
    /// the engine decides showdowns itself.
    public func engineHand() throws(PHHError) -> PHHEngineHand {
        let count = playerCount
        func unsupported(_ message: String) -> PHHError { PHHError(code: "phh.unsupported", message: message) }
        func intField(_ key: String) throws(PHHError) -> Int? {
            guard let value = field(key) else { return nil }
            guard case .integer(let i) = value, i >= 0 else {
                throw PHHError(code: "phh.field_type", message: "field '\(key)' must be a non-negative integer")
            }
            return i
        }

        // Seats and button.
        let seatNumbers = seats ?? Array(1...count)
        let tableSize = seatCount ?? max(seatNumbers.max() ?? count, count)
        guard tableSize <= 10, seatNumbers.allSatisfy({ $0 <= tableSize }) else {
            throw unsupported("seat numbers must fit a table of at most 10 seats")
        }
        let playerSeats = seatNumbers.map { $0 - 1 }
        let button = try intField(PHHFeltField.buttonSeat).map { $0 - 1 } ?? playerSeats[count - 1]
        guard (0..<tableSize).contains(button) else { throw unsupported("button seat \(button + 1) is not a seat") }
        // Players must be in dealing order: clockwise from the seat left of the button.
        let clockwise = playerSeats.map { ($0 - button - 1 + tableSize) % tableSize }
        guard clockwise == clockwise.sorted() else {
            throw unsupported("players must be listed clockwise starting left of the button")
        }
        var setups = [SeatSetup](repeating: .empty, count: tableSize)
        for (p, seat) in playerSeats.enumerated() { setups[seat] = SeatSetup(stack: startingStacks[p]) }

        // Blinds and antes, per player (undo the heads-up reversal).
        func perPlayer(_ values: [Int]) -> [Int] { count == 2 ? [values[1], values[0]] : values }
        let blinds = perPlayer(blindsOrStraddles)
        // Positional order: heads-up the button (player 2) posts first.
        let positional = count == 2 ? [1, 0] : Array(0..<count)
        let posters = positional.filter { blinds[$0] > 0 }
        guard posters.count <= 2, !posters.isEmpty else {
            throw unsupported(posters.isEmpty ? "a big blind is required" : "straddles are not supported")
        }
        let bigBlindPlayer = posters.last ?? 0
        let smallBlindPlayer = posters.count == 2 ? posters[0] : nil
        let bigBlind = blinds[bigBlindPlayer]
        let deadSmallBlind = try intField(PHHFeltField.smallBlind) ?? 0
        let smallBlind = smallBlindPlayer.map { blinds[$0] } ?? deadSmallBlind
        guard smallBlind <= bigBlind else { throw unsupported("the small blind is larger than the big blind") }

        let antesPer = perPlayer(antes)
        let ante: Ante
        if antesPer.allSatisfy({ $0 == 0 }) {
            ante = .none
        } else if Set(antesPer).count == 1 {
            ante = .perPlayer(antesPer[0])
        } else if antesPer.enumerated().allSatisfy({ $0.offset == bigBlindPlayer || $0.element == 0 }) {
            ante = .bigBlind(antesPer[bigBlindPlayer])
        } else {
            throw unsupported("antes must be uniform or posted by the big blind only")
        }

        // Betting structure.
        var rules: GameRules
        switch variant {
        case .fixedLimitTexasHoldem:
            // PHH does not record the raise cap: without `_raise_cap` the replay allows any number
            // of raises (it checks the recorded actions, it does not impose a house limit).
            let cap = try intField(PHHFeltField.raiseCap) ?? 0
            rules = GameRules(variant: .flhe, smallBlind: smallBlind, bigBlind: bigBlind, ante: ante,
                              smallBet: smallBet, bigBet: bigBet, raiseCap: cap == 0 ? nil : cap)
        case .noLimitTexasHoldem, .potLimitOmahaHoldem:
            guard minBet == bigBlind else {
                throw unsupported("min_bet \(minBet ?? 0) differs from the big blind \(bigBlind)")
            }
            rules = GameRules(variant: variant.gameVariant, smallBlind: smallBlind, bigBlind: bigBlind, ante: ante)
        }
        if let bp = try intField(PHHFeltField.rakeBasisPoints) {
            var noDrop = true
            if case .boolean(let b)? = field(PHHFeltField.rakeNoFlopNoDrop) { noDrop = b }
            let cap = try intField(PHHFeltField.rakeCapPerHand) ?? 0
            rules.rake = RakeRule(basisPoints: bp, capPerHand: cap, noFlopNoDrop: noDrop)
        }
        do throws(HandError) {
            try rules.validate()
        } catch {
            throw PHHError(code: "phh.unsupported", message: error.reason)
        }
        var smallBlindSeat = smallBlindPlayer.map { playerSeats[$0] }
        if smallBlindSeat == nil, let seat = try intField(PHHFeltField.smallBlindSeat) {
            guard let p = playerSeats.firstIndex(of: seat - 1), p != bigBlindPlayer, blinds[p] == 0 else {
                throw unsupported("field '\(PHHFeltField.smallBlindSeat)' must name a player other than the big blind")
            }
            smallBlindSeat = seat - 1
        }
        let positions = HandPositions(button: button, smallBlind: smallBlindSeat, bigBlind: playerSeats[bigBlindPlayer])

        // Cards and actions.
        let holeCount = rules.variant.holeCardCount
        var hole = [[Card?]](repeating: [], count: count)
        var board: [Card] = []
        var steps: [PHHEngineHand.Step] = []
        for (index, action) in actions.enumerated() {
            func bad(_ message: String) -> PHHError {
                PHHError(code: "phh.bad_action", message: "actions[\(index)] '\(action)': \(message)")
            }
            switch action.kind {
            case .dealHole(let p, let cards):
                guard hole[p].count + cards.count <= holeCount else {
                    throw bad("player \(p + 1) would get more than \(holeCount) hole cards")
                }
                guard steps.isEmpty, board.isEmpty else { throw bad("hole cards must be dealt before any action") }
                hole[p] += cards
            case .dealBoard(let cards):
                guard board.count + cards.count <= 5 else { throw bad("more than five board cards") }
                board += cards
            case .show(let p, let cards):
                if let cards {
                    guard cards.count == holeCount else { throw bad("shows \(cards.count) cards, not \(holeCount)") }
                    for (i, card) in cards.enumerated() {
                        guard let card else { continue }
                        if i < hole[p].count, let known = hole[p][i] {
                            guard known == card else { throw bad("shows \(card) but was dealt \(known)") }
                        } else if i < hole[p].count {
                            hole[p][i] = card
                        } else {
                            hole[p].append(card)
                        }
                    }
                }
            case .muck, .noOp:
                break
            case .fold(let p):
                steps.append(.init(index: index, notation: action, seat: playerSeats[p], action: .fold,
                                   isForfeit: action.commentary == PHHAction.forfeitCommentary))
            case .checkOrCall(let p):
                steps.append(.init(index: index, notation: action, seat: playerSeats[p], action: .call))
            case .completeBetOrRaiseTo(let p, let amount):
                steps.append(.init(index: index, notation: action, seat: playerSeats[p], action: .raise(to: amount)))
            }
        }
        for p in 0..<count where hole[p].count < holeCount {
            hole[p] += [Card?](repeating: nil, count: holeCount - hole[p].count)
        }

        let deck = try buildDeck(hole: hole, board: board, holeCount: holeCount)
        return PHHEngineHand(rules: rules, seats: setups, positions: positions, deck: deck, steps: steps,
                             playerSeats: playerSeats, board: board)
    }

    /// The deck: `_deck` if present and consistent, else rebuilt from the dealt cards.
    private func buildDeck(hole: [[Card?]], board: [Card], holeCount: Int) throws(PHHError) -> [Card] {
        let count = hole.count
        var used = Set<Card>()
        for card in hole.flatMap({ $0 }).compactMap({ $0 }) + board {
            guard used.insert(card).inserted else {
                throw PHHError(code: "phh.bad_value", message: "card \(card) is dealt twice")
            }
        }
        // Slots: hole cards round-robin, burn, flop, burn, turn, burn, river.
        var slots: [Card?] = []
        for round in 0..<holeCount { for p in 0..<count { slots.append(hole[p][round]) } }
        let boardSlots: [Int?] = [nil, 0, 1, 2, nil, 3, nil, 4]
        for slot in boardSlots { slots.append(slot.flatMap { $0 < board.count ? board[$0] : nil }) }

        if case .string(let text)? = field(PHHFeltField.deck) {
            let chars = Array(text)
            var deck: [Card] = []
            guard chars.count % 2 == 0 else {
                throw PHHError(code: "phh.bad_value", message: "field '_deck' is not a list of cards")
            }
            for i in stride(from: 0, to: chars.count, by: 2) {
                guard let card = Card(String(chars[i..<i + 2])) else {
                    throw PHHError(code: "phh.bad_value", message: "field '_deck' holds '\(String(chars[i..<i + 2]))'")
                }
                deck.append(card)
            }
            guard Set(deck).count == deck.count, deck.count >= slots.count else {
                throw PHHError(code: "phh.bad_value", message: "field '_deck' is not a deck for this hand")
            }
            for (i, slot) in slots.enumerated() {
                if let slot, deck[i] != slot {
                    throw PHHError(code: "phh.bad_value",
                                   message: "field '_deck' deals \(deck[i]) where the actions deal \(slot)")
                }
            }
            return deck
        }
        var spare = Card.fullDeck.filter { !used.contains($0) }.makeIterator()
        var deck: [Card] = []
        for slot in slots {
            if let slot { deck.append(slot) } else if let card = spare.next() { deck.append(card) }
        }
        while let card = spare.next() { deck.append(card) }
        return deck
    }
}
