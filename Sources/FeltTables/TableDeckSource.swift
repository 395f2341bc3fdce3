import PokerEngine

/// Where a table's decks come from: the CSPRNG for real play, a seed for tests and replays.
public enum TableDeckSource: Sendable {
    /// `Deck.shuffled()` (OpenSSL CSPRNG).
    case secure
    /// A seeded source (tests and replays only: the seed reveals every card).
    case seeded(SeededCardRandom)

    /// The next shuffled deck.
    public mutating func nextDeck() -> [Card] {
        switch self {
        case .secure:
            return Deck.shuffled()
        case .seeded(var source):
            let deck = Deck.shuffled(using: &source)
            self = .seeded(source)
            return deck
        }
    }
}
