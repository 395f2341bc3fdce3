/// The category of a five-card poker hand, weakest first.
public enum HandCategory: Int, Sendable, Comparable, CaseIterable {
    case highCard = 0, onePair, twoPair, threeOfAKind, straight, flush, fullHouse, fourOfAKind, straightFlush

    public static func < (lhs: HandCategory, rhs: HandCategory) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// The strength of a hand: a higher value wins, equal values split.
///
/// `value` is an equivalence-class number in `1...7462`, 7462 being a royal flush, so
/// there are exactly 7,462 distinct classes of five-card hands.
public struct HandStrength: Hashable, Sendable, Comparable {
    /// Class number, 1 (7-5-4-3-2 unsuited) … 7462 (royal flush).
    public let value: UInt16

    public init(value: UInt16) { self.value = value }

    /// The hand's category.
    public var category: HandCategory {
        switch value {
        case ...1277: .highCard
        case ...4137: .onePair
        case ...4995: .twoPair
        case ...5853: .threeOfAKind
        case ...5863: .straight
        case ...7140: .flush
        case ...7296: .fullHouse
        case ...7452: .fourOfAKind
        default: .straightFlush
        }
    }

    public static func < (lhs: HandStrength, rhs: HandStrength) -> Bool { lhs.value < rhs.value }
}

/// Evaluates poker hands with compact lookup tables (about 170 KB, built on first use; see
/// `EvaluatorTables`).
///
/// Cards can be given as `[Card]` or as a 64-bit card mask (bit `i` = the card with deck
/// index `i`, see `Card.bit`); the mask entry points allocate nothing and are the fastest.
public enum HandEvaluator {
    /// The best five-card strength among 5 to 7 distinct cards (hold'em).
    public static func evaluate(_ cards: [Card]) -> HandStrength {
        precondition((5...7).contains(cards.count), "evaluate takes 5 to 7 cards")
        let mask = Card.mask(of: cards)
        precondition(mask.nonzeroBitCount == cards.count, "evaluate takes distinct cards")
        return HandStrength(value: value(mask: mask, cardCount: cards.count, tables: .shared))
    }

    /// Hold'em: the best five-card strength of hole cards plus board (5 to 7 distinct cards
    /// in all), without building a combined array.
    public static func evaluate(hole: [Card], board: [Card]) -> HandStrength {
        let count = hole.count + board.count
        precondition((5...7).contains(count), "evaluate takes 5 to 7 cards")
        let mask = Card.mask(of: hole) | Card.mask(of: board)
        precondition(mask.nonzeroBitCount == count, "evaluate takes distinct cards")
        return HandStrength(value: value(mask: mask, cardCount: count, tables: .shared))
    }

    /// The best five-card strength of a card mask holding 5 to 7 cards.
    public static func evaluate(mask: UInt64) -> HandStrength {
        let count = mask.nonzeroBitCount
        precondition((5...7).contains(count) && mask >> 52 == 0, "evaluate(mask:) takes 5 to 7 cards")
        return HandStrength(value: value(mask: mask, cardCount: count, tables: .shared))
    }

    /// The fastest entry point: the strength of a mask holding exactly seven cards.
    ///
    /// The mask is not checked (callers such as enumerations and benchmarks build it
    /// themselves). Any other mask gives a meaningless strength but never reads outside
    /// the tables.
    @inline(__always)
    public static func evaluate7(mask: UInt64) -> HandStrength {
        HandStrength(value: value(mask: mask, cardCount: 7, tables: .shared))
    }

    /// Omaha: the best hand using exactly two of the hole cards (normally four) and three of
    /// the 3–5 board cards, all distinct; the best of every 2 + 3 combination (60 with four
    /// hole cards and five board cards), each through the five-card table path.
    public static func evaluateOmaha(hole: [Card], board: [Card]) -> HandStrength {
        precondition(hole.count >= 2 && board.count >= 3, "omaha needs 2+ hole and 3+ board cards")
        precondition(Card.mask(of: hole + board).nonzeroBitCount == hole.count + board.count,
                     "omaha takes distinct cards")
        let tables = EvaluatorTables.shared
        var best: UInt16 = 0
        for a in 0..<hole.count { for b in (a + 1)..<hole.count {
            let pair = hole[a].bit | hole[b].bit
            for x in 0..<board.count { for y in (x + 1)..<board.count {
                let partial = pair | board[x].bit | board[y].bit
                for z in (y + 1)..<board.count {
                    best = max(best, value(mask: partial | board[z].bit, cardCount: 5, tables: tables))
                }
            } }
        } }
        return HandStrength(value: best)
    }

    /// Builds the lookup tables now instead of on first use (e.g. at server start).
    public static func prepareTables() {
        _ = EvaluatorTables.shared.flush
    }

    /// Builds a throwaway copy of the lookup tables and returns how long that took
    /// (for `felt bench engine`; the shared tables are unaffected).
    public static func measureTableBuild() -> Duration {
        let clock = ContinuousClock()
        let start = clock.now
        let tables = EvaluatorTables()
        let elapsed = clock.now - start
        tables.deallocate()
        return elapsed
    }

    /// Table lookup for `cardCount` (5…7) distinct cards in `mask`.
    ///
    /// Summing each card's term in ascending card order gives the colex rank of the rank
    /// multiset (low 16 bits) and the four suit counters (high 16 bits) in one pass.
    @inline(__always)
    static func value(mask: UInt64, cardCount: Int, tables: EvaluatorTables) -> UInt16 {
        var rest = mask
        var sum = EvaluatorTables.suitCounterStart
        for position in 0..<cardCount {
            sum &+= tables.terms[position &* 64 &+ rest.trailingZeroBitCount]
            rest &= rest &- 1
        }
        if sum & EvaluatorTables.flushFlags != 0 {
            return flushValue(mask: mask, sum: sum, tables: tables)
        }
        return tables.rankPatterns[EvaluatorTables.offset(cardCount: cardCount) &+ Int(sum & 0xFFFF)]
    }

    /// The flush-table lookup for the suit whose counter reached five.
    @inline(__always)
    static func flushValue(mask: UInt64, sum: UInt32, tables: EvaluatorTables) -> UInt16 {
        let suit = ((sum & EvaluatorTables.flushFlags).trailingZeroBitCount &- 19) >> 2
        // That suit's cards sit at bits suit, suit+4, …, suit+48; squeeze them into 13 bits.
        var bits = (mask >> UInt64(suit)) & 0x1_1111_1111_1111
        bits = (bits | bits >> 3) & 0x0303_0303_0303_0303
        bits = (bits | bits >> 6) & 0x000F_000F_000F_000F
        bits = (bits | bits >> 12) & 0x0000_00FF_0000_00FF
        bits = (bits | bits >> 24) & 0x1FFF
        return tables.flush[Int(bits)]
    }
}
