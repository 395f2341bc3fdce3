/// The lookup tables behind the fast evaluator, built once, lazily, on first use.
///
/// Layout (all sizes in entries; about 170 KB in total):
///
/// - `terms` (8 × 64 `UInt32`): `terms[i * 64 + card]` is the contribution of `card` when it
///   is the `i`-th lowest card (by deck index, hence by rank) of the hand. The low 16 bits are
///   the colexicographic term `C(rank + i, i + 1)` of the hand's rank multiset; bits 16…31
///   are four 4-bit suit counters (`1 << (16 + 4 * suit)`). Rows 7 and columns 52…63 are
///   zero so that any 64-bit mask indexes inside the table.
/// - `rankPatterns` (6,188 + 18,564 + 50,388 `UInt16`): the strength of every multiset of
///   5, 6 or 7 ranks when no flush is possible, indexed by `offset(k) + colex rank`. Summing
///   the `terms` of a hand's cards in ascending order gives that colex rank directly: the
///   sorted ranks `a₀ ≤ … ≤ a₆` map to the strictly increasing `bᵢ = aᵢ + i`, whose
///   combinatorial-number-system rank `Σ C(bᵢ, i + 1)` is a minimal perfect hash of the
///   multiset (multisets with five of a rank are impossible and left at 0).
/// - `flush` (8,192 `UInt16`): the best flush or straight flush among the ranks of a 13-bit
///   mask with at least five bits set.
///
/// With five or more cards of one suit among at most seven, neither quads nor a full house
/// is possible, so a flush hand never needs the rank-pattern table.
struct EvaluatorTables: @unchecked Sendable {
    // @unchecked Sendable: the three buffers are written only inside `init` and are never
    // mutated or freed afterwards (the shared instance lives for the whole process), so
    // concurrent reads from any thread are safe.

    /// Per-position, per-card contributions (see the type's documentation).
    let terms: UnsafeMutablePointer<UInt32>
    /// Non-flush strengths by `offset(k) + colex rank of the k ranks`.
    let rankPatterns: UnsafeMutablePointer<UInt16>
    /// Flush strengths by 13-bit rank mask.
    let flush: UnsafeMutablePointer<UInt16>

    /// The process-wide tables (built on first access).
    static let shared = EvaluatorTables()

    /// Start of each hand size's region in `rankPatterns`: C(17,5) = 6,188 five-rank
    /// multisets, C(18,6) = 18,564 six-rank, C(19,7) = 50,388 seven-rank.
    static let offset5 = 0, offset6 = 6_188, offset7 = 6_188 + 18_564
    static let rankPatternCount = 6_188 + 18_564 + 50_388
    /// Initial value of the term sum: each suit counter starts at 3, so bit 3 of a counter
    /// is set exactly when five or more cards of that suit were added.
    static let suitCounterStart: UInt32 = 0x3333_0000
    /// The bits that flag a suit with five or more cards.
    static let flushFlags: UInt32 = 0x8888_0000

    /// Offset of the `k`-card region (k = 5, 6 or 7).
    @inline(__always)
    static func offset(cardCount k: Int) -> Int {
        k == 7 ? offset7 : (k == 6 ? offset6 : offset5)
    }

    /// Builds a fresh set of tables.
    init() {
        terms = .allocate(capacity: 8 * 64)
        terms.initialize(repeating: 0, count: 8 * 64)
        rankPatterns = .allocate(capacity: Self.rankPatternCount)
        rankPatterns.initialize(repeating: 0, count: Self.rankPatternCount)
        flush = .allocate(capacity: 8_192)
        flush.initialize(repeating: 0, count: 8_192)

        let binomial = Binomial()
        for position in 0..<7 {
            for card in 0..<52 {
                let rank = card >> 2, suit = card & 3
                terms[position * 64 + card] = UInt32(binomial[rank + position, position + 1])
                    | (UInt32(1) << (16 + 4 * suit))
            }
        }

        let classes = HandClassNumbering()
        buildRankPatterns(classes: classes, binomial: binomial)
        buildFlushes(classes: classes)
    }

    /// Frees a throwaway copy (used only by the table-build benchmark; never the shared one).
    func deallocate() {
        terms.deallocate()
        rankPatterns.deallocate()
        flush.deallocate()
    }

    /// Fills the three rank-pattern regions: five ranks from the class numbering, then six
    /// and seven ranks as the best of dropping one card (the smaller region is complete by
    /// then).
    ///
    /// Multisets are walked as nondecreasing rank tuples `a₀ ≤ … ≤ a₍ₖ₋₁₎`; the colex rank
    /// is `Σ C(aᵢ + i, i + 1)`, and dropping position `j` shifts every later rank down one
    /// position, so its rank is a prefix sum plus a shifted suffix sum.
    private func buildRankPatterns(classes: HandClassNumbering, binomial: Binomial) {
        // term[i * 13 + a] = C(a + i, i + 1): rank a at position i.
        var term = [Int](repeating: 0, count: 7 * 13)
        for i in 0..<7 { for a in 0..<13 { term[i * 13 + a] = binomial[a + i, i + 1] } }
        var counts = [Int](repeating: 0, count: 13)
        for size in 5...7 {
            let base = Self.offset(cardCount: size)
            let smaller = Self.offset(cardCount: size - 1)
            var ranks = [Int](repeating: 0, count: size)
            while true {
                var possible = true
                for i in 0..<(size - 4) where ranks[i] == ranks[i + 4] { possible = false }
                if possible {
                    var index = 0
                    for i in 0..<size { index += term[i * 13 + ranks[i]] }
                    if size == 5 {
                        for rank in ranks { counts[rank] += 1 }
                        rankPatterns[base + index] = classes.value(counts: counts, flush: false)
                        for rank in ranks { counts[rank] = 0 }
                    } else {
                        var best: UInt16 = 0
                        var prefix = 0
                        for j in 0..<size {
                            var dropped = prefix
                            for i in (j + 1)..<size { dropped += term[(i - 1) * 13 + ranks[i]] }
                            best = max(best, rankPatterns[smaller + dropped])
                            prefix += term[j * 13 + ranks[j]]
                        }
                        rankPatterns[base + index] = best
                    }
                }
                // Next nondecreasing tuple.
                var i = size - 1
                while i >= 0 && ranks[i] == 12 { i -= 1 }
                if i < 0 { break }
                ranks[i] += 1
                for j in (i + 1)..<size { ranks[j] = ranks[i] }
            }
        }
    }

    /// Fills the flush table: five bits from the class numbering, more bits as the best of
    /// dropping one (masks only grow, so smaller masks are always done first).
    private func buildFlushes(classes: HandClassNumbering) {
        var counts = [Int](repeating: 0, count: 13)
        for mask in 0..<8_192 {
            let bits = mask.nonzeroBitCount
            if bits == 5 {
                for rank in 0..<13 { counts[rank] = (mask >> rank) & 1 }
                flush[mask] = classes.value(counts: counts, flush: true)
            } else if bits > 5 {
                var best: UInt16 = 0
                var rest = mask
                while rest != 0 {
                    let bit = rest & -rest
                    best = max(best, flush[mask & ~bit])
                    rest &= rest - 1
                }
                flush[mask] = best
            }
        }
    }

    /// The colex rank of a rank multiset, exactly as the summed `terms` compute it.
    static func colexRank(_ counts: [Int], _ binomial: Binomial) -> Int {
        var sum = 0, position = 0
        for rank in 0..<13 {
            for _ in 0..<counts[rank] {
                sum += binomial[rank + position, position + 1]
                position += 1
            }
        }
        return sum
    }
}

/// Binomial coefficients `C(n, k)` for `n < 24`, `k < 8`.
struct Binomial {
    private var table = [Int](repeating: 0, count: 24 * 8)

    init() {
        for n in 0..<24 {
            table[n * 8] = 1
            for k in 1..<8 where k <= n {
                table[n * 8 + k] = table[(n - 1) * 8 + k - 1] + (k < n ? table[(n - 1) * 8 + k] : 0)
            }
        }
    }

    subscript(n: Int, k: Int) -> Int { table[n * 8 + k] }
}
