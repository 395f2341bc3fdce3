/// Stores `[Card]` and encodes it as an array of two-character strings (`["Ah","Kd"]`).
@propertyWrapper
public struct CardsAsText: Codable, Sendable, Equatable, Hashable {
    public var wrappedValue: [Card]

    public init(wrappedValue: [Card]) { self.wrappedValue = wrappedValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let texts = try container.decode([String].self)
        var cards: [Card] = []
        cards.reserveCapacity(texts.count)
        for text in texts {
            guard let card = Card(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "invalid card \"\(text)\"")
            }
            cards.append(card)
        }
        wrappedValue = cards
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(wrappedValue.map(\.description))
    }
}
