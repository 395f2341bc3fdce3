/// A playing card: a rank (2…14, ace high) and a suit.
///
/// Stored as one byte, `rank - 2` in the high bits times four plus the suit, so that
/// `0...51` indexes a standard deck and cards are cheap to copy and compare.
public struct Card: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The card's index in a sorted 52-card deck: `(rank - 2) * 4 + suit`.
    public let index: UInt8

    /// Creates a card from its deck index (`0...51`).
    public init?(index: Int) {
        guard (0..<52).contains(index) else { return nil }
        self.index = UInt8(index)
    }

    /// Creates a card from a rank (`2...14`) and suit.
    public init(rank: Int, suit: Suit) {
        precondition((2...14).contains(rank), "rank out of range")
        self.index = UInt8((rank - 2) * 4 + Int(suit.rawValue))
    }

    /// Parses the two-character notation used by PHH and PokerKit: rank `23456789TJQKA`
    /// then suit `cdhs` (e.g. `"Ah"`, `"Td"`). Returns `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        let chars = Array(text.utf8)
        guard chars.count == 2,
              let rank = Card.rankSymbols.firstIndex(of: chars[0]),
              let suit = Suit(symbol: chars[1]) else { return nil }
        self.init(rank: rank + 2, suit: suit)
    }

    /// Rank, 2 (deuce) through 14 (ace).
    public var rank: Int { Int(index >> 2) + 2 }
    /// Suit.
    public var suit: Suit { Suit(rawValue: index & 3) ?? .clubs }  // index & 3 is always 0…3

    /// Two-character notation, e.g. `"Ah"`.
    public var description: String {
        String(UnicodeScalar(Card.rankSymbols[rank - 2])) + String(UnicodeScalar(suit.symbol))
    }

    public static func < (lhs: Card, rhs: Card) -> Bool { lhs.index < rhs.index }

    static let rankSymbols: [UInt8] = Array("23456789TJQKA".utf8)

    /// The card's bit in a 64-bit card mask: `1 << index`.
    public var bit: UInt64 { 1 << UInt64(index) }

    /// The 64-bit mask of a set of cards (duplicates collapse into one bit).
    public static func mask(of cards: some Sequence<Card>) -> UInt64 {
        var mask: UInt64 = 0
        for card in cards { mask |= card.bit }
        return mask
    }

    /// All 52 cards in index order.
    public static let fullDeck: [Card] = (0..<52).map { Card(index: $0)! }
}

/// A card suit. Suits never rank against each other in Felt's games.
public enum Suit: UInt8, Sendable, CaseIterable {
    case clubs = 0, diamonds, hearts, spades

    init?(symbol: UInt8) {
        switch symbol {
        case UInt8(ascii: "c"): self = .clubs
        case UInt8(ascii: "d"): self = .diamonds
        case UInt8(ascii: "h"): self = .hearts
        case UInt8(ascii: "s"): self = .spades
        default: return nil
        }
    }

    /// One-letter notation: `c`, `d`, `h`, `s`.
    public var symbol: UInt8 {
        switch self {
        case .clubs: UInt8(ascii: "c")
        case .diamonds: UInt8(ascii: "d")
        case .hearts: UInt8(ascii: "h")
        case .spades: UInt8(ascii: "s")
        }
    }
}
