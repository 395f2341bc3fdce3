import FeltTestSupport
import Testing
@testable import FeltNet

@Suite struct WebSocketUTF8ValidatorTests {
    /// Feeds `bytes` whole; returns the failure offset or nil, and whether it ended on a boundary.
    static func run(_ bytes: [UInt8]) -> (failure: Int?, complete: Bool) {
        var validator = WebSocketUTF8Validator()
        let failure = validator.consume(bytes)
        return (failure, validator.isAtCharacterBoundary)
    }

    @Test(arguments: [
        "",
        "Hello, World",
        "κόσμε",
        "€ 100",
        "𝄞 music",
        "mixed: aé€𝄞z",
        "Hello-µ@ßöäüàá-UTF-8!!",
    ])
    func validTextIsAccepted(text: String) {
        let result = Self.run(Array(text.utf8))
        #expect(result.failure == nil)
        #expect(result.complete)
    }

    @Test(arguments: [
        [0x7F] as [UInt8],                         // last ASCII
        [0xC2, 0x80],                              // U+0080, smallest 2-byte
        [0xDF, 0xBF],                              // U+07FF
        [0xE0, 0xA0, 0x80],                        // U+0800, smallest 3-byte
        [0xED, 0x9F, 0xBF],                        // U+D7FF, just below the surrogates
        [0xEE, 0x80, 0x80],                        // U+E000, just above the surrogates
        [0xEF, 0xBF, 0xBF],                        // U+FFFF
        [0xF0, 0x90, 0x80, 0x80],                  // U+10000, smallest 4-byte
        [0xF4, 0x8F, 0xBF, 0xBF],                  // U+10FFFF, the largest code point
    ])
    func boundaryCodePointsAreAccepted(bytes: [UInt8]) {
        let result = Self.run(bytes)
        #expect(result.failure == nil)
        #expect(result.complete)
    }

    /// Each invalid class, with the offset of the first byte that makes the input invalid.
    @Test(arguments: [
        ([0x80], 0),                               // lone continuation byte
        ([0x41, 0xBF], 1),                         // stray continuation after ASCII
        ([0xC0, 0x80], 0),                         // overlong 2-byte (C0 never valid)
        ([0xC1, 0xBF], 0),                         // overlong 2-byte (C1 never valid)
        ([0xE0, 0x80, 0x80], 1),                   // overlong 3-byte
        ([0xE0, 0x9F, 0xBF], 1),                   // overlong 3-byte (U+07FF)
        ([0xED, 0xA0, 0x80], 1),                   // surrogate U+D800
        ([0xED, 0xBF, 0xBF], 1),                   // surrogate U+DFFF
        ([0xF0, 0x80, 0x80, 0x80], 1),             // overlong 4-byte
        ([0xF0, 0x8F, 0xBF, 0xBF], 1),             // overlong 4-byte (U+FFFF)
        ([0xF4, 0x90, 0x80, 0x80], 1),             // U+110000, above U+10FFFF
        ([0xF5, 0x80, 0x80, 0x80], 0),             // lead byte beyond F4
        ([0xFE], 0),
        ([0xFF], 0),
        ([0xC2, 0x41], 1),                         // missing continuation
        ([0xE2, 0x82, 0x41], 2),                   // missing second continuation
        ([0xF0, 0x9D, 0x84, 0x41], 3),             // missing third continuation
        ([0xC2, 0x80, 0x80], 2),                   // one continuation too many
    ] as [([UInt8], Int)])
    func invalidClassFailsAtFirstImpossibleByte(bytes: [UInt8], position: Int) {
        #expect(Self.run(bytes).failure == position)
        // Padding with valid ASCII in front shifts the position accordingly (fast path too).
        let prefix = Array("0123456789abcdef".utf8)
        #expect(Self.run(prefix + bytes + prefix).failure == prefix.count + position)
    }

    @Test func failFastPositionInsideAMessage() {
        // Autobahn 6.x style: valid text, then a surrogate, then more text.
        let prefix = Array("κόσμε".utf8)
        let bytes = prefix + [0xED, 0xA0, 0x80] + Array("edited".utf8)
        #expect(Self.run(bytes).failure == prefix.count + 1)   // ED is a valid prefix, A0 is not
    }

    @Test(arguments: [[0xC2] as [UInt8], [0xE2, 0x82], [0xF0, 0x9D, 0x84], [0x41, 0xF4]])
    func truncatedSequenceIsAValidPrefixButNotComplete(bytes: [UInt8]) {
        let result = Self.run(bytes)
        #expect(result.failure == nil)
        #expect(!result.complete)
        #expect(!WebSocketUTF8Validator.isValid(bytes))
    }

    @Test func validationIsIndependentOfChunking() {
        let text = Array("aé€𝄞 κόσμε 0123456789 𝄞𝄞".utf8)
        for split in 0...text.count {
            var validator = WebSocketUTF8Validator()
            #expect(validator.consume(Array(text[..<split])) == nil)
            #expect(validator.consume(Array(text[split...])) == nil)
            #expect(validator.isAtCharacterBoundary)
        }
        var byteByByte = WebSocketUTF8Validator()
        for byte in text { #expect(byteByByte.consume([byte]) == nil) }
        #expect(byteByByte.isAtCharacterBoundary)
    }

    @Test func failureIsStickyUntilReset() {
        var validator = WebSocketUTF8Validator()
        #expect(validator.consume([0xFF]) == 0)
        #expect(validator.hasFailed)
        #expect(validator.consume(Array("ok".utf8)) == 0)
        validator.reset()
        #expect(validator.consume(Array("ok".utf8)) == nil)
        #expect(validator.isAtCharacterBoundary)
    }

    @Test func everyTwoByteSequenceAgreesWithTheStandardLibrary() {
        for first in 0..<256 {
            for second in 0..<256 {
                let bytes = [UInt8(first), UInt8(second)]
                let expected = String(validating: bytes, as: UTF8.self) != nil
                #expect(WebSocketUTF8Validator.isValid(bytes) == expected, "\(bytes)")
            }
        }
    }

    @Test func everyThreeAndFourByteLeadAgreesWithTheStandardLibrary() {
        // Every second byte after every 3- and 4-byte lead, with representative tails.
        let tails: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xC2, 0xF4, 0xFF]
        var mismatches: [[UInt8]] = []
        for lead in 0xE0...0xF7 {
            for second in 0..<256 {
                for third in tails {
                    for fourth in (lead >= 0xF0 ? tails : [0x41]) {
                        let bytes = [UInt8(lead), UInt8(second), third, fourth]
                        let expected = String(validating: bytes, as: UTF8.self) != nil
                        if WebSocketUTF8Validator.isValid(bytes) != expected { mismatches.append(bytes) }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(5))")
    }

    @Test func randomSequencesAgreeWithTheStandardLibrary() {
        // Bytes biased toward lead/continuation values so that most sequences are interesting.
        var rng = SplitMix64(seed: 0x5EED_0F_07F8)
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2,
                                    0xDF, 0xE0, 0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF]
        var mismatches = 0
        for _ in 0..<100_000 {
            let length = Int(rng.next() % 7)
            var bytes: [UInt8] = []
            for _ in 0..<length {
                let r = rng.next()
                bytes.append(r & 1 == 0 ? interesting[Int((r >> 8) % UInt64(interesting.count))] : UInt8(truncatingIfNeeded: r >> 16))
            }
            let expected = String(validating: bytes, as: UTF8.self) != nil
            if WebSocketUTF8Validator.isValid(bytes) != expected { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test func failurePositionIsTheLongestValidPrefix() {
        // For random input, bytes[..<p] must be extendable to valid UTF-8 and bytes[...p] must not.
        var rng = SplitMix64(seed: 42)
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + Int(rng.next() % 8)) { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            var validator = WebSocketUTF8Validator()
            guard let position = validator.consume(bytes) else { continue }
            #expect(Self.isValidPrefix(Array(bytes[..<position])))
            #expect(!Self.isValidPrefix(Array(bytes[...position])))
        }
    }

    /// Oracle: a prefix of valid UTF-8 iff some completion of ≤ 3 continuation bytes validates
    /// with the standard library.
    static func isValidPrefix(_ bytes: [UInt8]) -> Bool {
        if String(validating: bytes, as: UTF8.self) != nil { return true }
        for extra in 1...3 {
            for last in 0x80...0xBF {
                // Try completions [0x80…, last] and [last, 0x80…]: covers E0/ED/F0/F4 second bytes.
                let tailA = [UInt8](repeating: 0x80, count: extra - 1) + [UInt8(last)]
                let tailB = [UInt8(last)] + [UInt8](repeating: 0x80, count: extra - 1)
                if String(validating: bytes + tailA, as: UTF8.self) != nil { return true }
                if String(validating: bytes + tailB, as: UTF8.self) != nil { return true }
            }
        }
        return false
    }
}
