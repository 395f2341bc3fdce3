/// Numbers the 7,462 classes of five-card hands `1…7462`, weakest first.
///
/// Each five-card pattern (6,175 rank multisets without a flush, 1,287 flush rank sets) gets
/// an ordering key: the category in the high bits, then the ranks in order of significance
/// (the group ranks by size then rank, each 4 bits; a straight's high card, the ace counting
/// low in A-2-3-4-5). The class number is the key's position among all distinct keys, so the
/// numbering follows directly from the poker ordering rather than from a second copy of the
/// reference ranker's formulas (the tests compare the two).
struct HandClassNumbering {
    private var valueByKey: [UInt32: UInt16] = [:]

    init() {
        var keys: [UInt32] = []
        keys.reserveCapacity(7_462)
        var counts = [Int](repeating: 0, count: 13)
        // Non-flush: nondecreasing five-rank tuples, never five of one rank.
        for a in 0..<13 { for b in a..<13 { for c in b..<13 { for d in c..<13 { for e in d..<13 where a != e {
            for rank in [a, b, c, d, e] { counts[rank] += 1 }
            keys.append(Self.key(counts: counts, flush: false))
            for rank in 0..<13 { counts[rank] = 0 }
        } } } } }
        // Flush: five distinct ranks.
        for mask in 0..<8_192 where mask.nonzeroBitCount == 5 {
            for rank in 0..<13 { counts[rank] = (mask >> rank) & 1 }
            keys.append(Self.key(counts: counts, flush: true))
        }
        keys.sort()
        var value: UInt16 = 0
        var previous: UInt32?
        for key in keys where key != previous {
            value += 1
            valueByKey[key] = value
            previous = key
        }
    }

    /// Number of distinct classes found (7,462 for a correct numbering).
    var classCount: Int { valueByKey.count }

    /// The class number of a five-card pattern given its 13 rank counts (summing to 5).
    func value(counts: [Int], flush: Bool) -> UInt16 {
        valueByKey[Self.key(counts: counts, flush: flush)] ?? 0
    }

    /// Ordering key: `category << 20`, then up to five 4-bit ranks, most significant first.
    static func key(counts: [Int], flush: Bool) -> UInt32 {
        var mask = 0
        for rank in 0..<13 where counts[rank] > 0 { mask |= 1 << rank }
        // Ranks by group size (descending), then rank (descending).
        var groups: [Int] = []
        for size in stride(from: 4, through: 1, by: -1) {
            for rank in stride(from: 12, through: 0, by: -1) where counts[rank] == size { groups.append(rank) }
        }
        func make(_ category: HandCategory, _ ranks: [Int]) -> UInt32 {
            var key = UInt32(category.rawValue) << 20
            for (slot, rank) in ranks.enumerated() { key |= UInt32(rank) << (16 - 4 * slot) }
            return key
        }
        if groups.count == 5 {
            let high = straightHigh(mask)
            if flush, let high { return make(.straightFlush, [high]) }
            if flush { return make(.flush, groups) }
            if let high { return make(.straight, [high]) }
            return make(.highCard, groups)
        }
        let top = counts[groups[0]], second = counts[groups[1]]
        switch (top, second) {
        case (4, _): return make(.fourOfAKind, groups)
        case (3, 2): return make(.fullHouse, groups)
        case (3, _): return make(.threeOfAKind, groups)
        case (2, 2): return make(.twoPair, groups)
        default: return make(.onePair, groups)
        }
    }

    /// Rank index (0 = deuce … 12 = ace) of the highest card of a straight in a 13-bit rank
    /// mask, 3 (the five) for the wheel A-2-3-4-5, or nil.
    static func straightHigh(_ mask: Int) -> Int? {
        for high in stride(from: 12, through: 4, by: -1) where (mask >> (high - 4)) & 0x1F == 0x1F {
            return high
        }
        return mask & 0x100F == 0x100F ? 3 : nil
    }
}
