/// A slow, obviously-correct five-card ranker producing the standard 1…7462 class numbers.
///
/// Kept as the independent reference the fast table-driven evaluator is tested against.
enum ReferenceRanker {
    /// Class offsets: number of classes strictly below each category.
    static let base: [HandCategory: Int] = [
        .highCard: 0, .onePair: 1277, .twoPair: 4137, .threeOfAKind: 4995, .straight: 5853,
        .flush: 5863, .fullHouse: 7140, .fourOfAKind: 7296, .straightFlush: 7452,
    ]

    /// Sorted (descending) lists of the rank patterns of each category, computed once.
    static let tables: Tables = Tables()

    struct Tables: Sendable {
        /// Index of a descending 5-distinct-rank key (non-straight) among all such, ascending.
        let highCardIndex: [Int: Int]
        /// Straight high card (5…14) → index.
        init() {
            var keys: [Int] = []
            for mask in 0..<(1 << 13) where mask.nonzeroBitCount == 5 {
                if ReferenceRanker.straightHigh(mask) == nil { keys.append(mask) }
            }
            keys.sort()
            var map: [Int: Int] = [:]
            for (i, k) in keys.enumerated() { map[k] = i }
            highCardIndex = map
        }
    }

    /// Highest card of a straight in the 13-bit rank mask (bit 0 = deuce), if any.
    static func straightHigh(_ mask: Int) -> Int? {
        for high in stride(from: 12, through: 4, by: -1) {
            let run = 0b11111 << (high - 4)
            if mask & run == run { return high + 2 }
        }
        if mask & 0b1_0000_0000_1111 == 0b1_0000_0000_1111 { return 5 }
        return nil
    }

    static func rank(_ five: [Card]) -> HandStrength {
        var counts = [Int](repeating: 0, count: 15)
        var mask = 0
        for c in five { counts[c.rank] += 1; mask |= 1 << (c.rank - 2) }
        let flush = five.allSatisfy { $0.suit == five[0].suit }
        let straight = straightHigh(mask)
        // groups sorted by (count desc, rank desc)
        let groups = (2...14).filter { counts[$0] > 0 }.sorted {
            counts[$0] != counts[$1] ? counts[$0] > counts[$1] : $0 > $1
        }
        func v(_ cat: HandCategory, _ offset: Int) -> HandStrength {
            HandStrength(value: UInt16(base[cat]! + offset + 1))
        }
        if let s = straight, flush { return v(.straightFlush, s - 5) }
        if counts[groups[0]] == 4 {
            let q = groups[0] - 2, k = groups[1] - 2
            return v(.fourOfAKind, q * 12 + (k < q ? k : k - 1))
        }
        if counts[groups[0]] == 3 && groups.count == 2 {
            let t = groups[0] - 2, p = groups[1] - 2
            return v(.fullHouse, t * 12 + (p < t ? p : p - 1))
        }
        if flush { return v(.flush, tables.highCardIndex[mask]!) }
        if let s = straight { return v(.straight, s - 5) }
        if counts[groups[0]] == 3 {
            let t = groups[0] - 2
            let kickers = groups[1...].map { $0 - 2 }.filter { $0 != t }  // two distinct, descending
            // index of the kicker pair among C(12,2) pairs of the other ranks, ascending
            let others = (0..<13).filter { $0 != t }
            let hi = others.firstIndex(of: kickers[0])!, lo = others.firstIndex(of: kickers[1])!
            return v(.threeOfAKind, t * 66 + (hi * (hi - 1)) / 2 + lo)
        }
        if counts[groups[0]] == 2 && counts[groups[1]] == 2 {
            let hp = groups[0] - 2, lp = groups[1] - 2, k = groups[2] - 2
            let pairIndex = (hp * (hp - 1)) / 2 + lp  // C(13,2) = 78 pair combos
            let others = (0..<13).filter { $0 != hp && $0 != lp }
            return v(.twoPair, pairIndex * 11 + others.firstIndex(of: k)!)
        }
        if counts[groups[0]] == 2 {
            let p = groups[0] - 2
            let others = (0..<13).filter { $0 != p }
            let ks = groups[1...].map { others.firstIndex(of: $0 - 2)! }  // descending indices
            let (a, b, c) = (ks[0], ks[1], ks[2])
            let idx = (a * (a - 1) * (a - 2)) / 6 + (b * (b - 1)) / 2 + c  // combinatorial number system
            return v(.onePair, p * 220 + idx)
        }
        return v(.highCard, tables.highCardIndex[mask]!)
    }
}

extension ReferenceRanker {
    /// The best reference strength among all five-card subsets of 5 to 7 cards.
    static func best(_ cards: [Card]) -> HandStrength {
        var best = HandStrength(value: 0)
        forEachFive(of: cards) { five in
            let strength = rank(five)
            if strength > best { best = strength }
        }
        return best
    }

    /// Calls `body` with every five-card subset of `cards`.
    static func forEachFive(of cards: [Card], _ body: ([Card]) -> Void) {
        let n = cards.count
        for a in 0..<n { for b in (a + 1)..<n { for c in (b + 1)..<n { for d in (c + 1)..<n { for e in (d + 1)..<n {
            body([cards[a], cards[b], cards[c], cards[d], cards[e]])
        } } } } }
    }
}
