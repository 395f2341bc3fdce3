/// Where a seat stands within the hand.
public enum SeatStatus: String, Codable, Sendable, Equatable, Hashable {
    /// Not dealt in (empty, sitting out or no chips).
    case out
    /// In the hand and able to act.
    case active
    /// Folded.
    case folded
    /// In the hand with no chips behind.
    case allIn = "all_in"

    /// Still contesting the pot (active or all in).
    public var isLive: Bool { self == .active || self == .allIn }
}

/// Per-seat mutable state (one small struct per seat, kept in one array).
struct SeatState: Sendable, Equatable {
    var startingStack: Int
    var stack: Int
    /// Bet on the current street.
    var bet: Int = 0
    /// Everything put in this hand (antes, blinds, bets), less returned chips.
    var committed: Int = 0
    /// Dead money in `committed` (a big-blind ante): it goes to the main pot and takes no part
    /// in the contribution levels that form side pots.
    var dead: Int = 0
    var status: SeatStatus
    /// Has taken a voluntary action this street.
    var acted: Bool = false
    /// The street's current bet right after this seat's last action (for reopening).
    var levelAtLastAction: Int = 0
    /// Chips won from pots.
    var won: Int = 0
}

/// One hand of poker as a value-type state machine.
///
/// Start it with rules, seats, positions (or a button) and the deck order; ask `actor` and
/// `legalActions()`; `apply(_:by:)` an action to advance it. Everything that happens is appended
/// to `events`; when `isFinished`, `record` is the complete `HandRecord`. The same deck and
/// actions always produce the same hand.
public struct HandState: Sendable {
    /// The table settings.
    public let rules: GameRules
    /// Button and blind seats.
    public let positions: HandPositions
    /// The deck order (dealt from the front: hole cards round-robin from the seat left of the
    /// button, then burn + flop, burn + turn, burn + river).
    public let deck: [Card]
    /// The current street (the last one dealt once the hand is over).
    public internal(set) var street: Street = .preflop
    /// Board cards dealt so far.
    public internal(set) var board: [Card] = []
    /// The seat to act, or `nil` when the hand is finished.
    public internal(set) var actor: Int?
    /// Whether the hand is over (pots awarded).
    public internal(set) var isFinished = false
    /// Whether every remaining hand has been exposed (all in, no more betting).
    public internal(set) var handsExposed = false
    /// Everything that happened so far, in order.
    public internal(set) var events: [HandEvent] = []

    var seats: [SeatState]
    /// Hole cards, `holeCount` per seat, indexed `seat * holeCount + i` (unused for seats out).
    var hole: [Card]
    let holeCount: Int
    var deckPosition = 0
    /// Highest bet on this street (for a short big blind, the full big blind).
    var currentBet = 0
    /// Size of the largest full raise this street (starts at the big blind, or the fixed bet size).
    var lastFullRaise = 0
    /// Fixed limit: bets + raises this street (the big blind counts preflop).
    var raiseCount = 0
    /// Fixed limit: whether the raise cap applies this street.
    var capApplies = false
    /// Last seat to bet or raise on this street.
    var lastAggressor: Int?
    /// Preflop pot-limit correction for blinds posted short ("pot math assumes full blinds").
    var blindDeficit = 0
    /// Results, filled in as the hand ends.
    var uncalledReturns: [Payout] = []
    var finalPots: [PotRecord] = []
    var showdownHands: [ShowdownHand] = []
    var rakeTaken = 0
    /// Seats not folded (active or all in), and seats able to act.
    var liveSeats = 0
    var activeSeats = 0

    /// Number of seats at the table.
    public var seatCount: Int { seats.count }

    /// Starts a hand with standard positions for `button` (see `HandPositions.standard`).
    public init(rules: GameRules, seats: [SeatSetup], button: Int, deck: [Card]) throws(HandError) {
        guard let positions = HandPositions.standard(button: button, seats: seats) else {
            if !(0..<seats.count).contains(button) {
                throw .invalidSetup("button \(button) is not a seat (0..<\(seats.count))")
            }
            throw .notEnoughPlayers
        }
        try self.init(rules: rules, seats: seats, positions: positions, deck: deck)
    }

    /// Starts a hand: validates everything, posts antes and blinds, deals hole cards.
    public init(rules: GameRules, seats setups: [SeatSetup], positions: HandPositions, deck: [Card]) throws(HandError) {
        try rules.validate()
        guard (2...10).contains(setups.count) else { throw .invalidSetup("a table has 2 to 10 seats, got \(setups.count)") }
        for (i, s) in setups.enumerated() where s.stack < 0 || s.stack > GameRules.maxChips {
            throw .invalidSetup("seat \(i) has a stack outside 0...\(GameRules.maxChips)")
        }
        let dealtCount = setups.reduce(0) { $0 + ($1.isDealtIn ? 1 : 0) }
        guard dealtCount >= 2 else { throw .notEnoughPlayers }
        let n = setups.count
        guard (0..<n).contains(positions.button) else { throw .invalidSetup("button \(positions.button) is not a seat") }
        guard (0..<n).contains(positions.bigBlind), setups[positions.bigBlind].isDealtIn else {
            throw .invalidSetup("big blind seat \(positions.bigBlind) is not dealt in")
        }
        if let sb = positions.smallBlind {
            guard (0..<n).contains(sb), setups[sb].isDealtIn, sb != positions.bigBlind else {
                throw .invalidSetup("small blind seat \(sb) is not a dealt-in seat other than the big blind")
            }
        }
        let holeCount = rules.variant.holeCardCount
        let needed = dealtCount * holeCount + 8
        guard deck.count >= needed else {
            throw .invalidSetup("the deck has \(deck.count) cards; this hand needs at least \(needed)")
        }
        var seen: UInt64 = 0
        for card in deck {
            let bit: UInt64 = 1 << UInt64(card.index)
            guard seen & bit == 0 else { throw .invalidSetup("card \(card) appears twice in the deck") }
            seen |= bit
        }

        self.rules = rules
        self.positions = positions
        self.deck = deck
        self.holeCount = holeCount
        self.seats = setups.map {
            SeatState(startingStack: $0.stack, stack: $0.stack, status: $0.isDealtIn ? .active : .out)
        }
        self.hole = [Card](repeating: deck[0], count: n * holeCount)
        self.liveSeats = dealtCount
        self.activeSeats = dealtCount
        events.reserveCapacity(16 + dealtCount * 6)
        board.reserveCapacity(5)
        events.append(.handStarted(positions))
        postForcedBets()
        dealHoleCards()
        startPreflop()
    }

    // MARK: Seat geometry

    /// Which seats `nextSeat(after:_:)` looks for.
    enum SeatFilter { case active, live, pending }

    /// The next seat clockwise after `seat` matching `filter`, or `nil`.
    /// (A plain switch rather than a closure: closures capturing `self` copy the whole state.)
    @inline(__always)
    func nextSeat(after seat: Int, _ filter: SeatFilter) -> Int? {
        let n = seats.count
        let bet = currentBet
        return seats.withUnsafeBufferPointer { buffer -> Int? in
            var i = seat
            for _ in 0..<n {
                i += 1
                if i == n { i = 0 }
                let s = buffer[i]
                switch filter {
                case .active: if s.status == .active { return i }
                case .live: if s.status == .active || s.status == .allIn { return i }
                case .pending: if s.status == .active && (!s.acted || s.bet < bet) { return i }
                }
            }
            return nil
        }
    }

    /// Seats in the hand (not out), clockwise starting left of the button.
    var dealOrder: [Int] {
        var order: [Int] = []
        order.reserveCapacity(seats.count)
        var i = positions.button
        for _ in 0..<seats.count {
            i = (i + 1) % seats.count
            if seats[i].status != .out { order.append(i) }
        }
        return order
    }

    /// Number of seats still contesting the pot (kept up to date by `setStatus`).
    var liveCount: Int { liveSeats }

    /// Number of seats that can still act: not folded, not all in (kept up to date by `setStatus`).
    var activeCount: Int { activeSeats }

    /// Changes a seat's status and the live/active counters with it.
    @inline(__always)
    mutating func setStatus(_ seat: Int, _ status: SeatStatus) {
        let old = seats[seat].status
        if old.isLive { liveSeats -= 1 }
        if old == .active { activeSeats -= 1 }
        if status.isLive { liveSeats += 1 }
        if status == .active { activeSeats += 1 }
        seats[seat].status = status
    }

    // MARK: Dealing

    mutating func post(_ seat: Int, _ kind: ForcedBetKind, _ amount: Int) {
        let paid = min(amount, seats[seat].stack)
        guard paid > 0 else { return }
        seats[seat].stack -= paid
        seats[seat].committed += paid
        if kind == .ante, case .bigBlind = rules.ante { seats[seat].dead += paid }
        if kind != .ante { seats[seat].bet += paid }
        if seats[seat].stack == 0 { setStatus(seat, .allIn) }
        events.append(.forcedBet(ForcedBet(seat: seat, kind: kind, amount: paid, isAllIn: seats[seat].stack == 0)))
    }

    mutating func postForcedBets() {
        if case .perPlayer(let ante) = rules.ante, ante > 0 {
            for seat in dealOrder { post(seat, .ante, ante) }
        }
        if let sb = positions.smallBlind, rules.smallBlind > 0 {
            post(sb, .smallBlind, rules.smallBlind)
            blindDeficit += rules.smallBlind - seats[sb].bet
        }
        let bb = positions.bigBlind
        post(bb, .bigBlind, rules.bigBlind)
        blindDeficit += rules.bigBlind - seats[bb].bet
        if case .bigBlind(let ante) = rules.ante, ante > 0 { post(bb, .ante, ante) }
    }

    mutating func dealHoleCards() {
        let n = seats.count
        for round in 0..<holeCount {
            var seat = positions.button
            for _ in 0..<n {
                seat += 1
                if seat == n { seat = 0 }
                guard seats[seat].status != .out else { continue }
                hole[seat * holeCount + round] = deck[deckPosition]
                deckPosition += 1
            }
        }
        var seat = positions.button
        for _ in 0..<n {
            seat += 1
            if seat == n { seat = 0 }
            if seats[seat].status != .out { events.append(.holeCardsDealt(seat: seat)) }
        }
    }

    mutating func dealBoard(to street: Street) {
        deckPosition += 1  // burn
        let start = board.count
        while board.count < street.boardCount {
            board.append(deck[deckPosition])
            deckPosition += 1
        }
        self.street = street
        events.append(.streetDealt(street, cards: Array(board[start...])))
    }

    /// The hole cards of a seat (empty when not dealt in). Private information: use `view(for:)` for players.
    public func holeCards(of seat: Int) -> [Card] {
        guard (0..<seats.count).contains(seat), seats[seat].status != .out else { return [] }
        return Array(hole[(seat * holeCount)..<(seat * holeCount + holeCount)])
    }
}
