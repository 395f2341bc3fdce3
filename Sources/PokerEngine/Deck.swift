import COpenSSL

/// Shuffling and auditing 52-card decks.
public enum Deck {
    /// A uniformly random order of the 52 cards from the process-wide CSPRNG
    /// (`SecureCardRandom`). This is what real deals use.
    public static func shuffled() -> [Card] {
        SharedSecureRandom.instance.withSource { shuffled(using: &$0) }
    }

    /// A uniformly random order of the 52 cards, drawn from `source`.
    ///
    /// Fisher–Yates from the top: for `i` = 51 down to 1, swap card `i` with a uniform
    /// `j` in `0...i`. Each `j` is drawn by rejection from just enough random bits
    /// (taken from a 64-bit reservoir so one word serves several draws), so all 52!
    /// orders are equally likely. The same source state always gives the same order.
    public static func shuffled<Source: CardRandomSource>(using source: inout Source) -> [Card] {
        var cards = Card.fullDeck
        cards.withUnsafeMutableBufferPointer { deck in
            var reservoir: UInt64 = 0
            var available = 0
            for i in stride(from: 51, through: 1, by: -1) {
                let width = UInt64.bitWidth - UInt64(i).leadingZeroBitCount
                let mask = (UInt64(1) << UInt64(width)) - 1
                var j: Int
                repeat {
                    if available < width {
                        reservoir = source.next()
                        available = 64
                    }
                    j = Int(reservoir & mask)
                    reservoir >>= UInt64(width)
                    available -= width
                } while j > i
                deck.swapAt(i, j)
            }
        }
        return cards
    }

    /// The audit fingerprint of a deck order: the lowercase hex SHA-256 of the cards' two-
    /// character names (`"Ah"`, `"Td"`, …; rank `23456789TJQKA`, suit `cdhs`) concatenated in
    /// deal order with no separator, as ASCII — 104 bytes for a full deck, e.g. the sorted
    /// deck hashes `"2c2d2h2s3c…AhAs"`. `sha256sum` of that text gives the same digest.
    public static func sha256Hex(of cards: [Card]) -> String {
        let text = Array(cards.map(\.description).joined().utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        let ok = text.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, felt_EVP_sha256(), nil)
        }
        // EVP_Digest with SHA-256 only fails on allocation failure inside OpenSSL.
        precondition(ok == 1 && length == 32, "SHA-256 failed")
        let hex = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for byte in digest.prefix(32) {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
