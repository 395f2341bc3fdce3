import Foundation

/// The rows (text format) and row count a statement produced.
public struct QueryResult: Sendable {
    /// Column names in order.
    public let columns: [String]
    /// The rows.
    public let rows: [PostgresRow]
    /// Rows affected by INSERT/UPDATE/DELETE (`PQcmdTuples`), else the number of rows returned.
    public let affectedRows: Int

    /// The first row, if any.
    public var first: PostgresRow? { rows.first }
}

/// One result row with typed accessors by column name or index.
public struct PostgresRow: Sendable {
    let columnIndex: [String: Int]
    /// Raw text values (`nil` is SQL NULL).
    public let values: [String?]

    private func raw(_ column: String) throws(DatabaseError) -> String? {
        guard let index = columnIndex[column] else {
            throw DatabaseError(.invalidValue, "the result has no column \(column)")
        }
        return values[index]
    }

    private func required(_ column: String) throws(DatabaseError) -> String {
        guard let value = try raw(column) else { throw DatabaseError(.invalidValue, "column \(column) is NULL") }
        return value
    }

    /// Whether the column is SQL NULL.
    public func isNull(_ column: String) throws(DatabaseError) -> Bool { try raw(column) == nil }

    /// An integer column.
    public func int64(_ column: String) throws(DatabaseError) -> Int64 {
        let text = try required(column)
        guard let value = Int64(text) else { throw DatabaseError(.invalidValue, "column \(column) is not an integer: \(text)") }
        return value
    }

    /// An integer column that may be NULL.
    public func optionalInt64(_ column: String) throws(DatabaseError) -> Int64? {
        try raw(column) == nil ? nil : try int64(column)
    }

    /// A text column.
    public func string(_ column: String) throws(DatabaseError) -> String { try required(column) }

    /// A text column that may be NULL.
    public func optionalString(_ column: String) throws(DatabaseError) -> String? { try raw(column) }

    /// A boolean column.
    public func bool(_ column: String) throws(DatabaseError) -> Bool {
        switch try required(column) {
        case "t": return true
        case "f": return false
        case let other: throw DatabaseError(.invalidValue, "column \(column) is not a boolean: \(other)")
        }
    }

    /// A bytea column (hex text output decoded).
    public func bytes(_ column: String) throws(DatabaseError) -> [UInt8] {
        let text = try required(column)
        guard text.hasPrefix("\\x"), let decoded = Self.decodeHex(text.utf8.dropFirst(2)) else {
            throw DatabaseError(.invalidValue, "column \(column) is not bytea in hex format")
        }
        return decoded
    }

    /// A timestamptz column.
    public func date(_ column: String) throws(DatabaseError) -> Date {
        let text = try required(column)
        guard let date = PostgresTimestamp.parse(text) else {
            throw DatabaseError(.invalidValue, "column \(column) is not a timestamp: \(text)")
        }
        return date
    }

    /// A timestamptz column that may be NULL.
    public func optionalDate(_ column: String) throws(DatabaseError) -> Date? {
        try raw(column) == nil ? nil : try date(column)
    }

    static func decodeHex<S: Sequence>(_ digits: S) -> [UInt8]? where S.Element == UInt8 {
        var out = [UInt8]()
        var high: UInt8?
        for digit in digits {
            let value: UInt8
            switch digit {
            case 48...57: value = digit - 48
            case 97...102: value = digit - 87
            case 65...70: value = digit - 55
            default: return nil
            }
            if let h = high {
                out.append(h << 4 | value)
                high = nil
            } else {
                high = value
            }
        }
        return high == nil ? out : nil
    }
}
