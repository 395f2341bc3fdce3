import Testing
@testable import PokerEngine

@Suite struct PHHTOMLTests {
    @Test func readsScalarsArraysCommentsAndMultilineArrays() throws {
        let text = """
        # leading comment
        variant = "NT"   # trailing comment
        literal = 'C:\\path'
        escaped = "tab\\tquote\\"\\u00e9"
        count = 1_000
        negative = -42
        hex = 0xff
        ratio = 2.5
        whole = 3.0
        big = 1e3
        infinite = inf
        yes = true
        no = false
        time = 12:30:00
        empty = []
        nested = [[1, 2], ["a"]]
        table = { a = 1, "b c" = "x" }
        actions = [
          "d dh p1 AcKd",  # first
          # a comment line inside the array
          "p1 cbr 20",
        ]
        """
        let doc = try TOMLParser.parse(text)
        let values = Dictionary(uniqueKeysWithValues: doc.root.map { ($0.key, $0.value) })
        #expect(values["variant"] == .string("NT"))
        #expect(values["literal"] == .string("C:\\path"))
        #expect(values["escaped"] == .string("tab\tquote\"é"))
        #expect(values["count"] == .integer(1000))
        #expect(values["negative"] == .integer(-42))
        #expect(values["hex"] == .integer(255))
        #expect(values["ratio"] == .float(2.5))
        #expect(values["whole"] == .float(3.0))
        #expect(values["big"] == .float(1000))
        #expect(values["infinite"] == .float(.infinity))
        #expect(values["yes"] == .boolean(true) && values["no"] == .boolean(false))
        #expect(values["time"] == .dateTime("12:30:00"))
        #expect(values["empty"] == .array([]))
        #expect(values["nested"] == .array([.array([.integer(1), .integer(2)]), .array([.string("a")])]))
        #expect(values["table"] == .table([TOMLKeyValue(key: "a", value: .integer(1), line: 17),
                                           TOMLKeyValue(key: "b c", value: .string("x"), line: 17)]))
        #expect(values["actions"] == .array([.string("d dh p1 AcKd"), .string("p1 cbr 20")]))
        #expect(doc.root.first(where: { $0.key == "actions" })?.line == 18)
        #expect(doc.tables.isEmpty)
    }

    @Test func readsMultilineStrings() throws {
        let doc = try TOMLParser.parse("a = '''\nit's\nraw\\n'''\nb = \"\"\"\nline one\\\n    still one\"\"\"\n")
        #expect(doc.root[0].value == .string("it's\nraw\\n"))
        #expect(doc.root[1].value == .string("line onestill one"))
    }

    @Test func acceptsWindowsLineEndingsAndAByteOrderMark() throws {
        let doc = try TOMLParser.parse("\u{FEFF}a = 1\r\nb = [\r\n  \"x\",\r\n]\r\n")
        #expect(doc.root.map(\.key) == ["a", "b"])
        #expect(doc.root[1].value == .array([.string("x")]))
        #expect(doc.root[1].line == 2)
    }

    @Test func readsTableHeadersOfMultiHandFiles() throws {
        let doc = try TOMLParser.parse("[1]\nvariant = \"NT\"\n\n[2]\nvariant = \"FT\"\n")
        #expect(doc.root.isEmpty)
        #expect(doc.tables.map(\.name) == ["1", "2"])
        #expect(doc.tables[1]["variant"] == .string("FT"))
        #expect(doc.tables[1].line == 4)
    }

    @Test(arguments: [
        ("a = 1\nb = \n", 2, "expected a value"),
        ("a = \"open\n", 1, "unterminated string"),
        ("a = [1, 2\n", 2, "unterminated array"),
        ("a = [1 2]\n", 1, "expected ',' or ']'"),
        ("a = 1\na = 2\n", 2, "defined twice"),
        ("x.y = 1\n", 1, "dotted keys"),
        ("a = 1 b\n", 1, "after value"),
        ("a = 01\n", 1, "leading zeros"),
        ("a = 1__0\n", 1, "misplaced '_'"),
        ("[[t]]\n", 1, "arrays of tables"),
        ("[1]\na = 1\n[1]\n", 3, "defined twice"),
        ("a = \"\\q\"\n", 1, "invalid escape"),
        ("a = nope\n", 1, "invalid value"),
        ("= 3\n", 1, "expected a key"),
    ])
    func malformedInputIsRejectedWithItsLine(text: String, line: Int, fragment: String) {
        do {
            _ = try TOMLParser.parse(text)
            Issue.record("parsed malformed TOML: \(text)")
        } catch {
            #expect(error.line == line, "\(error)")
            #expect(error.message.contains(fragment), "\(error)")
        }
    }

    @Test func writerOutputReadsBackToTheSameDocument() throws {
        let doc = TOMLDocument(
            root: [],
            tables: [
                TOMLTable(name: "1", entries: [
                    TOMLKeyValue(key: "s", value: .string("quote \" backslash \\ newline \n tab \t é")),
                    TOMLKeyValue(key: "i", value: .integer(-7)),
                    TOMLKeyValue(key: "f", value: .float(0.25)),
                    TOMLKeyValue(key: "w", value: .float(4)),
                    TOMLKeyValue(key: "inf", value: .float(-.infinity)),
                    TOMLKeyValue(key: "b", value: .boolean(true)),
                    TOMLKeyValue(key: "a", value: .array((1...5).map { .string("x\($0)") })),
                    TOMLKeyValue(key: "with space", value: .table([TOMLKeyValue(key: "k", value: .integer(1))])),
                ]),
                TOMLTable(name: "2", entries: [TOMLKeyValue(key: "e", value: .array([]))]),
            ])
        let text = TOMLWriter.write(doc)
        let back = try TOMLParser.parse(text)
        func strip(_ d: TOMLDocument) -> [[String: TOMLValue]] {
            d.tables.map { t in Dictionary(uniqueKeysWithValues: t.entries.map { ($0.key, stripLines($0.value)) }) }
        }
        #expect(strip(back) == strip(doc))
        #expect(back.tables.map(\.name) == ["1", "2"])
        #expect(text.contains("a = [\n  \"x1\",\n"))
    }

    private func stripLines(_ value: TOMLValue) -> TOMLValue {
        switch value {
        case .table(let entries): .table(entries.map { TOMLKeyValue(key: $0.key, value: stripLines($0.value)) })
        case .array(let items): .array(items.map(stripLines))
        default: value
        }
    }
}
