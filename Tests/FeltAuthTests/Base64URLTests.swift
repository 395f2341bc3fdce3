import Testing
@testable import FeltAuth

@Suite struct Base64URLTests {
    @Test func encodesRFC4648VectorsInURLAlphabetWithoutPadding() {
        #expect(Base64URL.encode("") == "")
        #expect(Base64URL.encode("f") == "Zg")
        #expect(Base64URL.encode("fo") == "Zm8")
        #expect(Base64URL.encode("foo") == "Zm9v")
        #expect(Base64URL.encode("foobar") == "Zm9vYmFy")
        #expect(Base64URL.encode([0xfb, 0xff, 0xbf]) == "-_-_")
    }

    @Test func roundTripsEveryLength() throws {
        for length in 0..<70 {
            let data = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) }
            #expect(Base64URL.decode(Base64URL.encode(data)) == data)
        }
    }

    @Test func rejectsCharactersOutsideTheURLAlphabet() {
        #expect(Base64URL.decode("Zm9v") == Array("foo".utf8))
        #expect(Base64URL.decode("+/+/") == nil)
        #expect(Base64URL.decode("Zm 9v") == nil)
        #expect(Base64URL.decode("Zm9v\n") == nil)
        #expect(Base64URL.decode("Zm9vé") == nil)
    }

    @Test func rejectsPaddingMisuse() {
        #expect(Base64URL.decode("Zg==") == nil, "padding not allowed by default")
        #expect(Base64URL.decode("Zg==", allowPadding: true) == Array("f".utf8))
        #expect(Base64URL.decode("Zm8=", allowPadding: true) == Array("fo".utf8))
        #expect(Base64URL.decode("Zg=", allowPadding: true) == nil, "short padding")
        #expect(Base64URL.decode("Zm8==", allowPadding: true) == nil, "too much padding")
        #expect(Base64URL.decode("Zm9v====", allowPadding: true) == nil, "a padding-only group")
        #expect(Base64URL.decode("Z=g=", allowPadding: true) == nil, "padding in the middle")
    }

    @Test func rejectsImpossibleLengthsAndNonCanonicalTrailingBits() {
        #expect(Base64URL.decode("Z") == nil)
        #expect(Base64URL.decode("Zm9vY") == nil)
        #expect(Base64URL.decode("Zh") == nil, "Zg and Zh would both decode to 'f'")
        #expect(Base64URL.decode("Zm9") == nil, "Zm8 is the canonical spelling of 'fo'")
    }
}
