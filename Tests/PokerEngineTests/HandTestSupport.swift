import Testing
@testable import PokerEngine

/// Small deterministic generator for property tests (SplitMix64).
struct TestRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Parses "Ah Kd ..." into cards.
func cards(_ text: String) -> [Card] {
    text.split(separator: " ").compactMap { Card($0) }
}

/// A deck whose first cards are `front` and the rest in index order.
func deck(front: [Card]) -> [Card] {
    front + Card.fullDeck.filter { !front.contains($0) }
}

/// A deck that deals `hole` (per dealt seat, in deal order starting left of the button)
/// and then the board `board` with burns.
func arrangedDeck(holeInDealOrder hole: [[Card]], board: [Card]) -> [Card] {
    var front: [Card] = []
    let count = hole.first?.count ?? 2
    for round in 0..<count { for h in hole { front.append(h[round]) } }
    let rest = Card.fullDeck.filter { c in !front.contains(c) && !board.contains(c) }
    var filler = rest.makeIterator()
    var b = board.makeIterator()
    for street in [3, 1, 1] {
        if let burn = filler.next() { front.append(burn) }
        for _ in 0..<street { front.append(b.next() ?? filler.next()!) }
    }
    while let c = filler.next() { front.append(c) }
    return front
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
