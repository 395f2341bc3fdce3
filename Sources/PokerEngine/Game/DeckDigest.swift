import COpenSSL

extension HandRecord {
    /// SHA-256 of a deck order, as lower-case hex: the hash of the ASCII concatenation of the
    /// cards' two-character codes in deal order (e.g. `"AhKd2c…"`).
    public static func deckDigest(_ deck: [Card]) -> String {
        var text: [UInt8] = []
        text.reserveCapacity(deck.count * 2)
        for card in deck { text.append(contentsOf: card.description.utf8) }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        text.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                _ = SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hex[Int(byte >> 4)])
            out.append(hex[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
