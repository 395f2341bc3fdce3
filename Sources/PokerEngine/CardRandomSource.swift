/// Where the randomness of a deal comes from: uniformly random 64-bit words.
///
/// This is the one injection point for randomness in the engine. Production deals use
/// `SecureCardRandom` (OpenSSL's CSPRNG), which `Deck.shuffled()` uses by default; the
/// seedable `SeededCardRandom` exists only for tests and replays and must be passed in
/// explicitly.
public protocol CardRandomSource {
    /// The next 64 uniformly random bits.
    mutating func next() -> UInt64
}

extension CardRandomSource {
    /// A uniform integer in `0..<bound` by rejection sampling: draw just enough bits to cover
    /// `bound - 1` and draw again whenever the result is `bound` or more (never `%`-scaled,
    /// so every value has exactly the same probability).
    public mutating func uniform(below bound: Int) -> Int {
        precondition(bound > 0, "uniform(below:) needs a positive bound")
        guard bound > 1 else { return 0 }
        let width = UInt64.bitWidth - UInt64(bound - 1).leadingZeroBitCount
        let mask: UInt64 = width == 64 ? .max : (1 << UInt64(width)) - 1
        while true {
            let candidate = next() & mask
            if candidate < UInt64(bound) { return Int(candidate) }
        }
    }
}

/// A deterministic, seedable source (SplitMix64) for tests and replays only — never for
/// real deals: anyone who learns the seed knows every card.
public struct SeededCardRandom: CardRandomSource, Sendable {
    private var state: UInt64

    /// Creates a source whose whole output is fixed by `seed`.
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
