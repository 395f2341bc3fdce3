extension GameVariant {
    /// The PHH variant code of this game.
    public var phhVariant: PHHVariant {
        switch self {
        case .nlhe: .noLimitTexasHoldem
        case .flhe: .fixedLimitTexasHoldem
        case .plo: .potLimitOmahaHoldem
        }
    }
}

extension PHHVariant {
    /// The engine game of this PHH variant.
    public var gameVariant: GameVariant {
        switch self {
        case .noLimitTexasHoldem: .nlhe
        case .fixedLimitTexasHoldem: .flhe
        case .potLimitOmahaHoldem: .plo
        }
    }
}

/// Names of the `_`-prefixed user-defined PHH fields Felt writes for settings PHH cannot
/// express (PHH readers such as PokerKit keep `_` fields as user data).
public enum PHHFeltField {
    /// 1-based seat number of the button (it may be a seat not dealt in: a dead button).
    public static let buttonSeat = "_button_seat"
    /// The table's small blind when no small blind was posted this hand (dead small blind).
    public static let smallBlind = "_small_blind"
    /// 1-based seat of a small blind position whose blind is 0 (tables without a small blind).
    public static let smallBlindSeat = "_small_blind_seat"
    /// Fixed limit: bets + raises allowed per round (the big blind counts preflop); 0 = uncapped.
    public static let raiseCap = "_raise_cap"
    /// Rake in basis points of the pot.
    public static let rakeBasisPoints = "_rake_basis_points"
    /// Most rake taken from one hand (0 = no cap).
    public static let rakeCapPerHand = "_rake_cap_per_hand"
    /// Whether hands without a flop are not raked.
    public static let rakeNoFlopNoDrop = "_rake_no_flop_no_drop"
    /// The whole deck order as dealt (two characters per card), for audits and exact replays.
    public static let deck = "_deck"
    /// Hex SHA-256 of the deck order.
    public static let deckSHA256 = "_deck_sha256"
}

extension PHHHand {
    /// Exports a finished hand.
    ///
    /// Players are the dealt-in seats clockwise from the seat left of the button (so the
    /// button, or the seat before a dead button, is last). `seats` holds their 1-based seat
    /// numbers and `seat_count` the table size. Antes and blinds are the table's nominal
    /// amounts (a short post shows in the stacks, as in PHH). Actions: hole cards, each
    /// player action, board cards when each street starts, and showdown shows (`sm CARDS`)
    /// and mucks (`sm`) — before the run-out when the hands were exposed all in.
    /// Settings PHH lacks go into `PHHFeltField` user fields, including the full deck so a
    /// replay deals exactly the same cards.
    public init(record: HandRecord, hand: TOMLValue? = nil, playerNames: [Int: String] = [:]) {
        let seatCount = record.seats.count
        let button = record.positions.button
        var order: [Int] = []
        for step in 1...seatCount {
            let seat = (button + step) % seatCount
            if record.seats[seat].dealtIn { order.append(seat) }
        }
        let rules = record.rules
        let headsUp = order.count == 2
        func positional(_ values: [Int]) -> [Int] { headsUp ? [values[1], values[0]] : values }
        let antes = order.map { seat -> Int in
            switch rules.ante {
            case .none: 0
            case .perPlayer(let a): a
            case .bigBlind(let a): seat == record.positions.bigBlind ? a : 0
            }
        }
        let blinds = order.map { seat -> Int in
            if seat == record.positions.bigBlind { return rules.bigBlind }
            if seat == record.positions.smallBlind { return rules.smallBlind }
            return 0
        }
        let player = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })

        var actions: [PHHAction] = []
        for (index, seat) in order.enumerated() {
            actions.append(PHHAction(.dealHole(player: index, cards: record.seats[seat].holeCards.map { $0 })))
        }
        var boardDealt = 0
        func dealBoard(through street: Street) {
            // One `d db` per street (flop, turn, river), as PHH readers expect.
            for next in [Street.flop, .turn, .river] where next <= street {
                let target = min(next.boardCount, record.board.count)
                guard target > boardDealt else { continue }
                actions.append(PHHAction(.dealBoard(Array(record.board[boardDealt..<target]))))
                boardDealt = target
            }
        }
        for action in record.actions {
            dealBoard(through: action.street)
            guard let p = player[action.seat] else { continue }
            switch action.kind {
            case .fold:
                // A forfeit (a fold out of turn by a departing player) keeps a marker so a replay
                // applies it as a forfeit; other PHH readers see a plain fold.
                actions.append(PHHAction(.fold(player: p), commentary: action.isForfeit ? PHHAction.forfeitCommentary : nil))
            case .check, .call: actions.append(PHHAction(.checkOrCall(player: p)))
            case .bet, .raise: actions.append(PHHAction(.completeBetOrRaiseTo(player: p, amount: action.to)))
            }
        }
        let lastStreet = record.actions.last?.street ?? .preflop
        let ranOut = record.board.count > lastStreet.boardCount
        var shows: [PHHAction] = []
        for shown in record.showdown {
            guard let p = player[shown.seat] else { continue }
            shows.append(PHHAction(shown.shown ? .show(player: p, cards: shown.cards.map { $0 }) : .muck(player: p)))
        }
        if ranOut {
            dealBoard(through: lastStreet)
            actions += shows
            dealBoard(through: .river)
        } else {
            dealBoard(through: .river)
            actions += shows
        }

        let variant = rules.variant.phhVariant
        self.init(variant: variant, antes: positional(antes), blindsOrStraddles: positional(blinds),
                  minBet: variant.isFixedLimit ? nil : rules.bigBlind,
                  smallBet: variant.isFixedLimit ? rules.smallBet : nil,
                  bigBet: variant.isFixedLimit ? rules.bigBet : nil,
                  startingStacks: order.map { record.seats[$0].startingStack }, actions: actions)
        self.hand = hand
        seats = order.map { $0 + 1 }
        self.seatCount = seatCount
        if !playerNames.isEmpty { players = order.map { playerNames[$0] ?? "" } }
        finishingStacks = order.map { record.seats[$0].finalStack }
        let won = Dictionary(record.winners.map { ($0.seat, $0.amount) }, uniquingKeysWith: +)
        winnings = order.map { won[$0] ?? 0 }

        if case .perPlayer(let a) = rules.ante, a > 0 {
            // A player all in for part of the ante wins only what they put in (side pots by
            // contribution), which is what PHH's `ante_trimming_status = true` says.
            setField("ante_trimming_status", .boolean(true))
        }
        setField(PHHFeltField.buttonSeat, .integer(button + 1))
        if record.positions.smallBlind == nil, rules.smallBlind > 0 {
            setField(PHHFeltField.smallBlind, .integer(rules.smallBlind))
        }
        if let sb = record.positions.smallBlind, rules.smallBlind == 0 {
            setField(PHHFeltField.smallBlindSeat, .integer(sb + 1))
        }
        if variant.isFixedLimit { setField(PHHFeltField.raiseCap, .integer(rules.raiseCap ?? 0)) }
        if rules.rake != .none {
            setField(PHHFeltField.rakeBasisPoints, .integer(rules.rake.basisPoints))
            setField(PHHFeltField.rakeCapPerHand, .integer(rules.rake.capPerHand))
            setField(PHHFeltField.rakeNoFlopNoDrop, .boolean(rules.rake.noFlopNoDrop))
        }
        setField(PHHFeltField.deck, .string(record.deck.map(\.description).joined()))
        setField(PHHFeltField.deckSHA256, .string(record.deckSHA256))
    }
}
