import Foundation
import Testing
import FeltTestSupport
@testable import PokerEngine

/// Returns scripted words, then zeros (test helper for exact draws).
struct ScriptedSource: CardRandomSource {
    var words: [UInt64]
    mutating func next() -> UInt64 { words.isEmpty ? 0 : words.removeFirst() }
}

@Suite struct DeckTests {
    @Test func shuffledDecksArePermutationsOfAll52Cards() {
        var seeded = SeededCardRandom(seed: 1)
        var secure = SecureCardRandom()
        for deck in [Deck.shuffled(), Deck.shuffled(using: &seeded), Deck.shuffled(using: &secure)] {
            #expect(deck.count == 52)
            #expect(Set(deck) == Set(Card.fullDeck))
            #expect(deck != Card.fullDeck)
        }
    }

    @Test func sameSeedGivesSameOrderAndDifferentSeedsDiffer() {
        var a = SeededCardRandom(seed: 42), b = SeededCardRandom(seed: 42), c = SeededCardRandom(seed: 43)
        let first = Deck.shuffled(using: &a)
        #expect(first == Deck.shuffled(using: &b))
        #expect(first != Deck.shuffled(using: &c))
        // The generator moves on: the next deck from the same source differs.
        #expect(first != Deck.shuffled(using: &a))
    }

    @Test func secureDealsDifferAndBufferedWordsNeverRepeat() {
        let decks = (0..<20).map { _ in Deck.shuffled() }
        #expect(Set(decks.map { Deck.sha256Hex(of: $0) }).count == 20)
        // 2,000 words span several 4 KiB refills (512 words each).
        let source = SecureCardRandom()
        let words = (0..<2_000).map { _ in source.next() }
        #expect(Set(words).count == 2_000)
        // A tiny buffer refills on every word and still gives fresh bytes.
        let tiny = SecureCardRandom(bufferBytes: 8)
        #expect(Set((0..<100).map { _ in tiny.next() }).count == 100)
    }

    @Test func uniformRejectsOutOfRangeDrawsInsteadOfReducingThem() {
        // bound 52 draws 6 bits: 63 and 52 are rejected, 51 is accepted as is
        // (a `%`-scaled draw would have returned 63 % 52 = 11).
        var source = ScriptedSource(words: [63, 52, 51])
        #expect(source.uniform(below: 52) == 51)
        #expect(source.words.isEmpty)
        // Only the low bits are used: 0xFF…C0 | 5 → 5.
        var high = ScriptedSource(words: [0xFFFF_FFFF_FFFF_FFC5])
        #expect(high.uniform(below: 52) == 5)
        var one = ScriptedSource(words: [])
        #expect(one.uniform(below: 1) == 0)
        var seeded = SeededCardRandom(seed: 3)
        let draws = (0..<10_000).map { _ in seeded.uniform(below: 7) }
        #expect(draws.allSatisfy { (0..<7).contains($0) } && Set(draws).count == 7)
    }

    @Test func shuffleRedrawsRejectedSwapIndices() {
        // The first swap is for position 51 with j in 0...51 drawn from 6 bits: the low six
        // bits 111111 (63) are rejected, the next six 000010 give j = 2, so the card with
        // index 2 (2h) moves to position 51.
        var source = ScriptedSource(words: [0b000010_111111])
        let deck = Deck.shuffled(using: &source)
        #expect(deck[51] == Card("2h"))
        #expect(Set(deck) == Set(Card.fullDeck))
    }

    @Test func deckFingerprintIsSha256OfConcatenatedCardNames() async throws {
        var source = SeededCardRandom(seed: 5)
        let deck = Deck.shuffled(using: &source)
        let text = deck.map(\.description).joined()
        #expect(text.utf8.count == 104)
        let result = try await runProcess("sha256sum", [], input: text)
        #expect(result.status == 0)
        let expected = String(result.stdout.prefix(64))
        let digest = Deck.sha256Hex(of: deck)
        #expect(digest == expected)
        #expect(digest.count == 64 && digest.allSatisfy { "0123456789abcdef".contains($0) })
        #expect(Deck.sha256Hex(of: Card.fullDeck) != digest)
    }
}
