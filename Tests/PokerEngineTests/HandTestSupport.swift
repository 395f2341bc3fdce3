import Testing
@testable import PokerEngine

/// Parses "Ah Kd ..." into cards.
func parseCards(_ text: String) -> [Card] {
    text.split(separator: " ").compactMap { Card($0) }
}

/// A hand with given hole cards per seat ("Ah Kd", "" = any) and board ("" = any).
func makeHand(_ rules: GameRules, stacks: [Int], button: Int, holes: [String] = [], board: String = "",
              positions: HandPositions? = nil) throws -> HandState {
    let setups = seats(stacks)
    guard let pos = positions ?? HandPositions.standard(button: button, seats: setups) else {
        throw HandError.notEnoughPlayers
    }
    let deck = try HandState.arrangeDeck(variant: rules.variant, seats: setups, positions: pos,
                                         holeCards: holes.map(parseCards), board: parseCards(board))
    return try HandState(rules: rules, seats: setups, positions: pos, deck: deck)
}

func nlhe(_ sb: Int = 1, _ bb: Int = 2, ante: Ante = .none, rake: RakeRule = .none) -> GameRules {
    GameRules(variant: .nlhe, smallBlind: sb, bigBlind: bb, ante: ante, rake: rake)
}

func seats(_ stacks: [Int]) -> [SeatSetup] { stacks.map { SeatSetup(stack: $0) } }

extension HandState {
    /// Applies the actor's action, failing the test on error.
    mutating func act(_ action: PlayerAction, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let a = actor else { Issue.record("no actor", sourceLocation: sourceLocation); return }
        do { try apply(action, by: a) } catch { Issue.record("\(action) by \(a): \(error)", sourceLocation: sourceLocation) }
    }
}
