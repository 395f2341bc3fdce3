/// Reads the TOML subset used by PHH (`.phh`) and multi-hand PHH (`.phhs`) files.
///
/// Supported: `key = value` pairs (bare or quoted keys), `[name]` table headers,
/// basic and literal strings (single- and multi-line), integers (decimal, hex, octal,
/// binary, with `_` separators), floats (including `inf`/`nan`), booleans, arrays that
/// may span lines and hold comments, inline tables, date/time literals (kept verbatim),
/// and `#` comments. Not supported (rejected with an error): dotted keys and arrays of
/// tables. Every error carries the 1-based line and column of the problem.
public struct TOMLParser {
    private let bytes: [UInt8]
    private var position = 0
    private var line = 1
    private var lineStart = 0

    /// Parses `text` into a document.
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(bytes: Array(text.utf8))
        return try parser.parseDocument()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
        // A UTF-8 byte-order mark is not part of the document.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            position = 3
            lineStart = 3
        }
    }

    // MARK: Document

    private mutating func parseDocument() throws(TOMLError) -> TOMLDocument {
        var document = TOMLDocument()
        var currentTable: Int? = nil
        var seenTables = Set<String>()
        var seenKeys = Set<String>()
        while true {
            skipWhitespace()
            guard let byte = peek() else { break }
            switch byte {
            case UInt8(ascii: "#"):
                skipComment()
            case UInt8(ascii: "\n"):
                advanceNewline()
            case UInt8(ascii: "\r"):
                try expectNewline()
            case UInt8(ascii: "["):
                let headerLine = line
                let headerColumn = column
                advance()
                if peek() == UInt8(ascii: "[") {
                    throw error("arrays of tables ([[...]]) are not supported")
                }
                skipWhitespace()
                let name = try parseKey()
                skipWhitespace()
                guard peek() == UInt8(ascii: "]") else { throw error("expected ']' to close the table header") }
                advance()
                try endOfLine()
                guard seenTables.insert(name).inserted else {
                    throw TOMLError(code: "toml.duplicate_key", line: headerLine, column: headerColumn,
                                    message: "table [\(name)] is defined twice")
                }
                document.tables.append(TOMLTable(name: name, line: headerLine))
                currentTable = document.tables.count - 1
                seenKeys = []
            default:
                let keyLine = line
                let keyColumn = column
                let pair = try parseKeyValue()
                guard seenKeys.insert(pair.key).inserted else {
                    throw TOMLError(code: "toml.duplicate_key", line: keyLine, column: keyColumn,
                                    message: "key '\(pair.key)' is defined twice")
                }
                try endOfLine()
                if let currentTable {
                    document.tables[currentTable].entries.append(pair)
                } else {
                    document.root.append(pair)
                }
            }
        }
        return document
    }

    private mutating func parseKeyValue() throws(TOMLError) -> TOMLKeyValue {
        let keyLine = line
        let key = try parseKey()
        skipWhitespace()
        if peek() == UInt8(ascii: ".") { throw error("dotted keys are not supported") }
        guard peek() == UInt8(ascii: "=") else { throw error("expected '=' after key '\(key)'") }
        advance()
        skipWhitespace()
        let value = try parseValue()
        return TOMLKeyValue(key: key, value: value, line: keyLine)
    }

    private mutating func parseKey() throws(TOMLError) -> String {
        guard let byte = peek() else { throw error("expected a key, found end of file") }
        if byte == UInt8(ascii: "\"") {
            advance()
            return try parseBasicString()
        }
        if byte == UInt8(ascii: "'") {
            advance()
            return try parseLiteralString()
        }
        let start = position
        while let b = peek(), isBareKeyByte(b) { advance() }
        guard position > start else { throw error("expected a key, found \(describe(byte))") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    /// After a pair or header: optional whitespace, optional comment, then newline or end.
    private mutating func endOfLine() throws(TOMLError) {
        skipWhitespace()
        if peek() == UInt8(ascii: "#") { skipComment() }
        guard let byte = peek() else { return }
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
            try expectNewline()
            return
        }
        throw error("unexpected \(describe(byte)) after value; expected end of line")
    }

    // MARK: Values

    private mutating func parseValue() throws(TOMLError) -> TOMLValue {
        guard let byte = peek() else { throw error("expected a value, found end of file") }
        switch byte {
        case UInt8(ascii: "\""):
            if startsWith("\"\"\"") {
                advance(3)
                return .string(try parseMultilineBasicString())
            }
            advance()
            return .string(try parseBasicString())
        case UInt8(ascii: "'"):
            if startsWith("'''") {
                advance(3)
                return .string(try parseMultilineLiteralString())
            }
            advance()
            return .string(try parseLiteralString())
        case UInt8(ascii: "["):
            advance()
            return try parseArray()
        case UInt8(ascii: "{"):
            advance()
            return try parseInlineTable()
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "#"):
            throw error("expected a value")
        default:
            return try parseScalar()
        }
    }

    private mutating func parseArray() throws(TOMLError) -> TOMLValue {
        var items: [TOMLValue] = []
        while true {
            try skipWhitespaceCommentsAndNewlines()
            guard let byte = peek() else { throw error("unterminated array: expected ']'") }
            if byte == UInt8(ascii: "]") {
                advance()
                return .array(items)
            }
            items.append(try parseValue())
            try skipWhitespaceCommentsAndNewlines()
            guard let next = peek() else { throw error("unterminated array: expected ']'") }
            if next == UInt8(ascii: ",") {
                advance()
            } else if next == UInt8(ascii: "]") {
                advance()
                return .array(items)
            } else {
                throw error("expected ',' or ']' in array, found \(describe(next))")
            }
        }
    }

    private mutating func parseInlineTable() throws(TOMLError) -> TOMLValue {
        var entries: [TOMLKeyValue] = []
        var keys = Set<String>()
        skipWhitespace()
        if peek() == UInt8(ascii: "}") {
            advance()
            return .table([])
        }
        while true {
            skipWhitespace()
            let keyLine = line, keyColumn = column
            let pair = try parseKeyValue()
            guard keys.insert(pair.key).inserted else {
                throw TOMLError(code: "toml.duplicate_key", line: keyLine, column: keyColumn,
                                message: "key '\(pair.key)' is defined twice in the inline table")
            }
            entries.append(pair)
            skipWhitespace()
            guard let next = peek() else { throw error("unterminated inline table: expected '}'") }
            if next == UInt8(ascii: ",") {
                advance()
            } else if next == UInt8(ascii: "}") {
                advance()
                return .table(entries)
            } else {
                throw error("expected ',' or '}' in inline table, found \(describe(next))")
            }
        }
    }

    /// Booleans, numbers, `inf`/`nan` and date/time literals.
    private mutating func parseScalar() throws(TOMLError) -> TOMLValue {
        let startColumn = column
        let start = position
        while let b = peek(), isScalarByte(b) { advance() }
        // A date-time may separate date and time with one space: "1979-05-27 07:32:00".
        if position > start, looksLikeDate(bytes[start..<position]), peek() == UInt8(ascii: " "),
           position + 1 < bytes.count, isDigit(bytes[position + 1]) {
            advance()
            while let b = peek(), isScalarByte(b) { advance() }
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        guard !token.isEmpty else {
            throw error("expected a value, found \(describe(peek() ?? 0))")
        }
        func bad(_ message: String) -> TOMLError {
            TOMLError(line: line, column: startColumn, message: message)
        }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        let tokenBytes = Array(token.utf8)
        if tokenBytes.contains(UInt8(ascii: ":")) || looksLikeDate(tokenBytes[...]) {
            guard tokenBytes.allSatisfy({ isDigit($0) || "-:.TZtz+ ".utf8.contains($0) }) else {
                throw bad("invalid date/time '\(token)'")
            }
            return .dateTime(token)
        }
        var body = tokenBytes[...]
        var negative = false
        if let first = body.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            negative = first == UInt8(ascii: "-")
            body = body.dropFirst()
        }
        guard let first = body.first, isDigit(first) else { throw bad("invalid value '\(token)'") }
        if body.count > 2, first == UInt8(ascii: "0"),
           let radix = [UInt8(ascii: "x"): 16, UInt8(ascii: "o"): 8, UInt8(ascii: "b"): 2][body[body.startIndex + 1]] {
            guard !negative, tokenBytes.first != UInt8(ascii: "+") else {
                throw bad("a prefixed integer may not have a sign: '\(token)'")
            }
            let digits = try stripUnderscores(body.dropFirst(2), token: token, bad: bad)
            guard let value = Int(digits, radix: radix) else { throw bad("invalid integer '\(token)'") }
            return .integer(value)
        }
        let digits = try stripUnderscores(body, token: token, bad: bad)
        let isFloat = digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" })
        if digits.count > 1, digits.hasPrefix("0"), !digits.hasPrefix("0."), !digits.hasPrefix("0e"), !digits.hasPrefix("0E") {
            throw bad("leading zeros are not allowed: '\(token)'")
        }
        if isFloat {
            guard digits.last.map({ $0.isNumber }) == true, !digits.contains(".e"), !digits.contains(".E"),
                  let value = Double(digits) else {
                throw bad("invalid float '\(token)'")
            }
            return .float(negative ? -value : value)
        }
        guard digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let magnitude = Int(negative ? "-" + digits : digits) else {
            throw bad("invalid or out-of-range integer '\(token)'")
        }
        return .integer(magnitude)
    }

    private func stripUnderscores(_ body: ArraySlice<UInt8>, token: String,
                                  bad: (String) -> TOMLError) throws(TOMLError) -> String {
        var previousWasDigit = false
        var out: [UInt8] = []
        for b in body {
            if b == UInt8(ascii: "_") {
                guard previousWasDigit else { throw bad("misplaced '_' in number '\(token)'") }
                previousWasDigit = false
                continue
            }
            previousWasDigit = isDigit(b) || (b | 0x20 >= UInt8(ascii: "a") && b | 0x20 <= UInt8(ascii: "f"))
            out.append(b)
        }
        guard body.last != UInt8(ascii: "_") else { throw bad("misplaced '_' in number '\(token)'") }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Strings

    private mutating func parseBasicString() throws(TOMLError) -> String {
        var out: [UInt8] = []
        while true {
            guard let byte = peek() else { throw error("unterminated string") }
            switch byte {
            case UInt8(ascii: "\""):
                advance()
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                advance()
                try parseEscape(into: &out)
            case UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                throw error("unterminated string (newline inside a single-line string)")
            default:
                if byte < 0x20 && byte != UInt8(ascii: "\t") || byte == 0x7F {
                    throw error("control character \(describe(byte)) inside a string")
                }
                out.append(byte)
                advance()
            }
        }
    }

    private mutating func parseMultilineBasicString() throws(TOMLError) -> String {
        var out: [UInt8] = []
        skipInitialNewline()
        while true {
            guard let byte = peek() else { throw error("unterminated multi-line string") }
            if startsWith("\"\"\"") {
                advance(3)
                // Up to two extra quotes belong to the content.
                var extra = 0
                while extra < 2, peek() == UInt8(ascii: "\"") { out.append(byte); advance(); extra += 1 }
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                advance()
                // Line-ending backslash: trim the newline and following whitespace.
                let save = (position, line, lineStart)
                skipWhitespace()
                if peek() == UInt8(ascii: "\n") || peek() == UInt8(ascii: "\r") {
                    try skipWhitespaceCommentsAndNewlines(allowComments: false)
                    continue
                }
                (position, line, lineStart) = save
                try parseEscape(into: &out)
                continue
            }
            if byte == UInt8(ascii: "\n") {
                out.append(byte)
                advanceNewline()
                continue
            }
            if byte == UInt8(ascii: "\r") {
                try expectNewline()
                out.append(UInt8(ascii: "\n"))
                continue
            }
            out.append(byte)
            advance()
        }
    }

    private mutating func parseLiteralString() throws(TOMLError) -> String {
        let start = position
        while true {
            guard let byte = peek() else { throw error("unterminated literal string") }
            if byte == UInt8(ascii: "'") {
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                advance()
                return text
            }
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                throw error("unterminated literal string (newline inside a single-line string)")
            }
            advance()
        }
    }

    private mutating func parseMultilineLiteralString() throws(TOMLError) -> String {
        var out: [UInt8] = []
        skipInitialNewline()
        while true {
            guard let byte = peek() else { throw error("unterminated multi-line literal string") }
            if startsWith("'''") {
                advance(3)
                var extra = 0
                while extra < 2, peek() == UInt8(ascii: "'") { out.append(byte); advance(); extra += 1 }
                return String(decoding: out, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\n") {
                out.append(byte)
                advanceNewline()
                continue
            }
            out.append(byte)
            advance()
        }
    }

    private mutating func skipInitialNewline() {
        if peek() == UInt8(ascii: "\n") {
            advanceNewline()
        } else if startsWith("\r\n") {
            advance()
            advanceNewline()
        }
    }

    private mutating func parseEscape(into out: inout [UInt8]) throws(TOMLError) {
        guard let byte = peek() else { throw error("unterminated escape sequence") }
        advance()
        switch byte {
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "\""): out.append(0x22)
        case UInt8(ascii: "\\"): out.append(0x5C)
        case UInt8(ascii: "u"), UInt8(ascii: "U"):
            let count = byte == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count,
                  let code = UInt32(String(decoding: bytes[position..<position + count], as: UTF8.self), radix: 16),
                  let scalar = Unicode.Scalar(code) else {
                throw error("invalid unicode escape")
            }
            advance(count)
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        default:
            throw error("invalid escape sequence '\\\(String(UnicodeScalar(byte)))'")
        }
    }

    // MARK: Low level

    private var column: Int { position - lineStart + 1 }

    private func peek() -> UInt8? { position < bytes.count ? bytes[position] : nil }

    private func startsWith(_ text: String) -> Bool {
        let t = Array(text.utf8)
        guard position + t.count <= bytes.count else { return false }
        return Array(bytes[position..<position + t.count]) == t
    }

    private mutating func advance(_ count: Int = 1) { position += count }

    private mutating func advanceNewline() {
        position += 1
        line += 1
        lineStart = position
    }

    private mutating func expectNewline() throws(TOMLError) {
        if peek() == UInt8(ascii: "\n") { advanceNewline(); return }
        if startsWith("\r\n") { advance(); advanceNewline(); return }
        throw error("bare carriage return; expected a newline")
    }

    private mutating func skipWhitespace() {
        while let b = peek(), b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") { advance() }
    }

    private mutating func skipComment() {
        while let b = peek(), b != UInt8(ascii: "\n"), b != UInt8(ascii: "\r") { advance() }
    }

    private mutating func skipWhitespaceCommentsAndNewlines(allowComments: Bool = true) throws(TOMLError) {
        while let b = peek() {
            if b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") {
                advance()
            } else if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                try expectNewline()
            } else if allowComments && b == UInt8(ascii: "#") {
                skipComment()
            } else {
                return
            }
        }
    }

    private func error(_ message: String) -> TOMLError {
        TOMLError(line: line, column: column, message: message)
    }

    private func describe(_ byte: UInt8) -> String {
        if byte >= 0x21 && byte < 0x7F { return "'\(String(UnicodeScalar(byte)))'" }
        return "byte 0x" + String(byte, radix: 16)
    }

    private func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    private func isBareKeyByte(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
            || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
    }

    private func isScalarByte(_ b: UInt8) -> Bool {
        isBareKeyByte(b) || b == UInt8(ascii: "+") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
    }

    /// `YYYY-MM-DD…`
    private func looksLikeDate(_ token: ArraySlice<UInt8>) -> Bool {
        let t = Array(token)
        return t.count >= 10 && t[0..<4].allSatisfy(isDigit) && t[4] == UInt8(ascii: "-")
            && t[5..<7].allSatisfy(isDigit) && t[7] == UInt8(ascii: "-") && t[8..<10].allSatisfy(isDigit)
    }
}
