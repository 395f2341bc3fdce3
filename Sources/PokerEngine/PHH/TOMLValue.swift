/// A value in the TOML subset used by PHH hand histories.
///
/// Covers what PHH files hold: strings, integers, floats (including `inf` and `nan`),
/// booleans, arrays, inline tables, and date/time literals (kept as their source text).
public enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    /// An inline table `{ a = 1, b = "x" }`, keys in source order.
    case table([TOMLKeyValue])
    /// A date, time or date-time literal (e.g. `12:30:00`), kept verbatim.
    case dateTime(String)

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .string: "string"
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .array: "array"
        case .table: "table"
        case .dateTime: "date-time"
        }
    }
}

/// One `key = value` pair, with the line it was read from (0 when built in code).
public struct TOMLKeyValue: Equatable, Sendable {
    public var key: String
    public var value: TOMLValue
    public var line: Int

    public init(key: String, value: TOMLValue, line: Int = 0) {
        self.key = key
        self.value = value
        self.line = line
    }
}

/// A `[name]` table of a TOML document and its pairs, in source order.
public struct TOMLTable: Equatable, Sendable {
    /// The table header's name (`"1"` for `[1]`).
    public var name: String
    /// The line of the header (0 when built in code).
    public var line: Int
    public var entries: [TOMLKeyValue]

    public init(name: String, line: Int = 0, entries: [TOMLKeyValue] = []) {
        self.name = name
        self.line = line
        self.entries = entries
    }

    /// The value of `key`, if present.
    public subscript(key: String) -> TOMLValue? {
        entries.first(where: { $0.key == key })?.value
    }
}

/// A parsed TOML document: the top-level pairs and the `[name]` tables that follow them.
public struct TOMLDocument: Equatable, Sendable {
    /// Pairs before the first table header.
    public var root: [TOMLKeyValue]
    /// Tables in source order.
    public var tables: [TOMLTable]

    public init(root: [TOMLKeyValue] = [], tables: [TOMLTable] = []) {
        self.root = root
        self.tables = tables
    }
}

/// A malformed TOML document: what is wrong and where (1-based line and column).
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Stable error code, `toml.syntax` or `toml.duplicate_key`.
    public let code: String
    public let line: Int
    public let column: Int
    public let message: String

    public init(code: String = "toml.syntax", line: Int, column: Int, message: String) {
        self.code = code
        self.line = line
        self.column = column
        self.message = message
    }

    public var description: String { "line \(line), column \(column): \(message)" }
}
