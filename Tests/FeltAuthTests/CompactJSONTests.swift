import Testing
@testable import FeltAuth

@Suite struct CompactJSONTests {
    private func parse(_ text: String) -> CompactJSON.Value? { CompactJSON.parse(Array(text.utf8)) }

    @Test func parsesObjectsWithEveryValueKind() {
        let value = parse(#" {"s":"a\"b\u00e9\ud83c\udca1","i":-12,"d":1.5e2,"t":true,"f":false,"n":null,"a":[1,"x"],"o":{}} "#)
        let expected: CompactJSON.Value = .object([
            ("s", .string("a\"bé🂡")), ("i", .integer(-12)), ("d", .number(150)), ("t", .bool(true)),
            ("f", .bool(false)), ("n", .null), ("a", .array([.integer(1), .string("x")])), ("o", .object([])),
        ])
        #expect(value == expected)
    }

    @Test func rejectsMalformedDocuments() {
        for text in ["", "{", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1 2]", "01", "1.", "-", "\"\u{01}\"",
                     "{\"a\":1} x", "\"\\ud83c\"", "\"\\x\"", "tru", "{\"a\":1}{}"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    @Test func rejectsDuplicateKeys() {
        #expect(parse(#"{"exp":1,"exp":2}"#) == nil)
    }

    @Test func rejectsInvalidUTF8AndDeepNesting() {
        #expect(CompactJSON.parse([0x22, 0xff, 0x22]) == nil)
        #expect(parse(String(repeating: "[", count: 17) + String(repeating: "]", count: 17)) == nil)
        #expect(parse(String(repeating: "[", count: 16) + String(repeating: "]", count: 16)) != nil)
    }

    @Test func quotedStringsParseBackToTheSameText() {
        for text in ["plain", "quote\" backslash\\ newline\n tab\t nul\u{0}", "ünïcødé 🂡", "\u{2028}"] {
            #expect(parse(CompactJSON.quoted(text)) == .string(text))
        }
    }
}
