import Testing
@testable import FeltAuth

/// Hex helpers for test vectors.
func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
}

func bytes(hex text: String) -> [UInt8] {
    var out: [UInt8] = []
    var index = text.startIndex
    while index < text.endIndex {
        let next = text.index(index, offsetBy: 2)
        out.append(UInt8(text[index..<next], radix: 16) ?? 0)
        index = next
    }
    return out
}

@Suite struct CryptoTests {
    /// RFC 4231 §4.2–4.8, HMAC-SHA-256 column. Case 5 is truncated to 128 bits.
    static let rfc4231: [(name: String, key: [UInt8], data: [UInt8], expected: String, truncatedTo: Int?)] = [
        ("4.2 test case 1", [UInt8](repeating: 0x0b, count: 20), Array("Hi There".utf8),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", nil),
        ("4.3 test case 2", Array("Jefe".utf8), Array("what do ya want for nothing?".utf8),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", nil),
        ("4.4 test case 3", [UInt8](repeating: 0xaa, count: 20), [UInt8](repeating: 0xdd, count: 50),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe", nil),
        ("4.5 test case 4", Array(1...25), [UInt8](repeating: 0xcd, count: 50),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b", nil),
        ("4.6 test case 5 (truncated)", [UInt8](repeating: 0x0c, count: 20), Array("Test With Truncation".utf8),
         "a3b6167473100ee06e0c796c2955552b", 16),
        ("4.7 test case 6", [UInt8](repeating: 0xaa, count: 131),
         Array("Test Using Larger Than Block-Size Key - Hash Key First".utf8),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", nil),
        ("4.8 test case 7", [UInt8](repeating: 0xaa, count: 131),
         Array(("This is a test using a larger than block-size key and a larger than block-size data. "
                + "The key needs to be hashed before being used by the HMAC algorithm.").utf8),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2", nil),
    ]

    @Test(arguments: 0..<7)
    func hmacSHA256MatchesRFC4231(caseIndex: Int) {
        let vector = Self.rfc4231[caseIndex]
        let tag = Crypto.hmacSHA256(key: vector.key, message: vector.data)
        #expect(tag.count == 32)
        let compared = vector.truncatedTo.map { Array(tag.prefix($0)) } ?? tag
        #expect(hex(compared) == vector.expected, "\(vector.name)")
    }

    @Test func sha256MatchesKnownDigests() {
        #expect(hex(Crypto.sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(hex(Crypto.sha256("abc")) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func hexWritesTwoLowercaseDigitsPerByte() {
        #expect(Crypto.hex([]) == "")
        #expect(Crypto.hex([0x00, 0x07, 0x0f, 0x10, 0xa0, 0xff]) == "00070f10a0ff")
    }

    @Test func randomBytesHaveRequestedLengthAndDiffer() throws {
        let a = try Crypto.randomBytes(32)
        let b = try Crypto.randomBytes(32)
        #expect(a.count == 32 && b.count == 32)
        #expect(a != b)
        #expect(try Crypto.randomBytes(0).isEmpty)
    }

    @Test func constantTimeEqualComparesContentAndLength() {
        #expect(Crypto.constantTimeEqual([1, 2, 3], [1, 2, 3]))
        #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2, 4]))
        #expect(!Crypto.constantTimeEqual([1, 2, 3], [1, 2]))
        #expect(Crypto.constantTimeEqual([], []))
    }
}
