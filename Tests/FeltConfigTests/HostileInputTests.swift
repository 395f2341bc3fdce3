import FeltConfig
import Foundation
import Testing

/// Hostile files: each yields a clear error (never a crash, never unbounded work).
/// Big and deep files are generated here at run time, never committed.
@Suite struct HostileInputTests {
    /// Loads a single generated file and returns its issues.
    func issues(_ name: String, _ data: Data) throws -> (path: String, issues: [ConfigIssue]) {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = try folder.write(name, data)
        return (path, Fixtures.issues(path))
    }

    @Test func aMissingFileIsReported() {
        let issues = Fixtures.issues("/nonexistent/felt-\(UUID().uuidString).yaml")
        #expect(issues.map(\.code) == [.fileNotFound])
        #expect(issues.first?.message.hasSuffix("does not exist") == true)
        #expect(issues.first?.line == 0)
    }

    @Test func anUnreadableFileIsReported() {
        // Readable by name but every read fails (EIO), even for root.
        let issues = Fixtures.issues("/proc/self/mem")
        #expect(issues.map(\.code) == [.fileUnreadable])
        #expect(issues.first?.message == "cannot read configuration file /proc/self/mem: Input/output error")
    }

    @Test func aDirectoryIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let issues = Fixtures.issues(folder.url.path)
        #expect(issues.map(\.code) == [.notARegularFile])
        #expect(issues.first?.message == "\(folder.url.path) is a directory, not a configuration file")
    }

    @Test func binaryDataIsReportedAtTheFirstNulByte() throws {
        let (path, issues) = try issues("binary.yaml", Data("tenants:\n  - id: a\u{0}b\n".utf8))
        #expect(issues == [ConfigIssue(file: path, line: 2, column: 10, keyPath: "",
                                       message: "the file contains binary data (a NUL byte); a configuration file must be UTF-8 text",
                                       code: .binaryData)])
    }

    @Test func randomBytesAreRejected() throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<65536).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (_, issues) = try issues("random.bin", Data(bytes))
        #expect(issues.count == 1)
        #expect([.binaryData, .invalidUTF8].contains(issues.first?.code))
    }

    @Test func invalidUTF8IsReportedWithItsPosition() throws {
        var data = Data("server:\n  base_domain: caf".utf8)
        data.append(contentsOf: [0xC3, 0x28])
        data.append(Data("\n".utf8))
        let (path, issues) = try issues("latin.yaml", data)
        #expect(issues == [ConfigIssue(file: path, line: 2, column: 19, keyPath: "",
                                       message: "invalid UTF-8 (byte 0xC3 at offset 26); a configuration file must be UTF-8 text",
                                       code: .invalidUTF8)])
    }

    @Test func aSecondDocumentIsRejected() throws {
        let (path, issues) = try issues("multi.yaml", Data("tenants: []\n---\ntenants: []\n".utf8))
        #expect(issues == [ConfigIssue(file: path, line: 2, column: 1, keyPath: "",
                                       message: "a configuration file holds exactly one YAML document; found a second one here",
                                       code: .multipleDocuments)])
    }

    @Test func tabIndentationIsASyntaxErrorWithAHint() throws {
        let (path, issues) = try issues("tabs.yaml", Data("server:\n\tevent_loops: 2\n".utf8))
        #expect(issues.count == 1)
        #expect(issues.first?.code == .syntaxError)
        #expect(issues.first?.file == path)
        #expect(issues.first?.line == 2)
        #expect(issues.first?.column == 1)
        #expect(issues.first?.message.hasSuffix("(tabs are not allowed for indentation; use spaces)") == true)
    }

    @Test func duplicateKeysInOneMappingAreRejected() throws {
        let (path, issues) = try issues("dup.yaml", Data("server:\n  event_loops: 2\n  event_loops: 3\n".utf8))
        #expect(issues == [ConfigIssue(file: path, line: 3, column: 3, keyPath: "",
                                       message: "duplicate key 'event_loops' (first defined at line 2, column 3)",
                                       code: .duplicateKey)])
    }

    @Test func duplicateKeysInAHugeMappingAreFoundWithoutQuadraticWork() throws {
        var text = "big:\n"
        for index in 0..<50_000 { text += "  k\(index): 1\n" }
        text += "  k7: 2\n"
        let (path, issues) = try issues("wide.yaml", Data(text.utf8))
        #expect(issues == [ConfigIssue(file: path, line: 50_002, column: 3, keyPath: "",
                                       message: "duplicate key 'k7' (first defined at line 9, column 3)",
                                       code: .duplicateKey)])
    }

    @Test func aliasesAreRejectedSoABillionLaughsCannotExpand() throws {
        var text = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
        for level in 1...9 {
            let previous = "*a\(level - 1)"
            text += "a\(level): &a\(level) [\(Array(repeating: previous, count: 9).joined(separator: ", "))]\n"
        }
        let (path, issues) = try issues("laughs.yaml", Data(text.utf8))
        #expect(issues == [ConfigIssue(file: path, line: 2, column: 10, keyPath: "",
                                       message: "YAML aliases (*name) are not supported in Felt configuration files; write the value out",
                                       code: .aliasNotAllowed)])
    }

    @Test func nestingTenThousandDeepStopsAtTheDepthLimit() throws {
        let text = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000) + "\n"
        let (path, issues) = try issues("deep.yaml", Data(text.utf8))
        #expect(issues == [ConfigIssue(file: path, line: 1, column: 65, keyPath: "",
                                       message: "nesting deeper than 64 levels", code: .tooDeep)])
    }

    @Test func deepBlockNestingStopsAtTheDepthLimitToo() throws {
        var text = ""
        for level in 0..<1_000 { text += String(repeating: " ", count: level) + "k:\n" }
        let (_, issues) = try issues("deep-block.yaml", Data(text.utf8))
        #expect(issues.map(\.code) == [.tooDeep])
    }

    @Test func aFiftyMegabyteFileIsRejectedBeforeItIsRead() throws {
        let line = Data("# padding padding padding padding padding padding padding padding padding\n".utf8)
        var data = Data(capacity: 50 << 20)
        while data.count < 50 << 20 { data.append(line) }
        let (path, issues) = try issues("huge.yaml", data)
        #expect(issues == [ConfigIssue(file: path, line: 0, column: 0, keyPath: "",
                                       message: "configuration file \(path) is \(FileSizeText.mib(data.count)); the limit is 8 MiB",
                                       code: .fileTooLarge)])
    }

    @Test func tooManyNodesInOneFileAreRejected() throws {
        let text = "list: [" + Array(repeating: "1", count: 2000).joined(separator: ",") + "]\n"
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = try folder.write("nodes.yaml", text)
        let issues = Fixtures.issues(path, limits: ConfigLimits(maxNodesPerFile: 1000))
        #expect(issues.map(\.code) == [.tooManyNodes])
    }

    @Test func anEmptyFileIsReported() throws {
        let (path, issues) = try issues("empty.yaml", Data("# nothing here\n".utf8))
        #expect(issues == [ConfigIssue(file: path, line: 0, column: 0, keyPath: "",
                                       message: "the file is empty; expected a mapping", code: .emptyDocument)])
    }

    @Test func aFileIncludingItselfIsACycle() throws {
        let (path, issues) = try issues("self.yaml", Data("include: self.yaml\n".utf8))
        #expect(issues.map(\.code) == [.includeCycle])
        #expect(issues.first?.message == "include cycle: \(path) → \(path)")
    }

    @Test func aLongChainOfIncludesStopsAtTheIncludeDepthLimit() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for level in 0..<100 { try folder.write("f\(level).yaml", "include: f\(level + 1).yaml\n") }
        let issues = Fixtures.issues(folder.url.appendingPathComponent("f0.yaml").path)
        #expect(issues == [ConfigIssue(file: folder.url.appendingPathComponent("f16.yaml").path, line: 1, column: 10,
                                       keyPath: "include", message: "includes nested deeper than 16 levels", code: .tooDeep)])
    }

    @Test func aFileIncludedTwiceIsReported() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        try folder.write("clubs/a.yaml", "tenants: []\n")
        let root = try folder.write("root.yaml", "include: [clubs/*.yaml, clubs/a.yaml]\ntenants: []\n")
        let issues = Fixtures.issues(root)
        #expect(issues.map(\.code) == [.duplicateInclude])
        #expect(issues.first?.line == 1)
        #expect(issues.first?.column == 25)
    }
}

/// Mirrors the loader's size wording for expectations.
enum FileSizeText {
    static func mib(_ bytes: Int) -> String {
        let tenths = (bytes * 10) >> 20
        return bytes % (1 << 20) == 0 ? "\(bytes >> 20) MiB" : "\(tenths / 10).\(tenths % 10) MiB"
    }
}
