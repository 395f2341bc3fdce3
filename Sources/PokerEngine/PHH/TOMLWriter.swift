/// Writes TOML values and documents in the style PHH files use.
///
/// Arrays of strings longer than a few items (such as `actions`) are written one item
/// per line; everything else on one line. The output always reads back with
/// ``TOMLParser`` to an equal document.
public enum TOMLWriter {
    /// The text of a whole document: root pairs, then each `[name]` table.
    public static func write(_ document: TOMLDocument) -> String {
        var out = ""
        for pair in document.root { out += line(pair) }
        for (index, table) in document.tables.enumerated() {
            if index > 0 || !document.root.isEmpty { out += "\n" }
            out += "[\(key(table.name))]\n"
            for pair in table.entries { out += line(pair) }
        }
        return out
    }

    /// One `key = value` line, newline-terminated.
    public static func line(_ pair: TOMLKeyValue) -> String {
        "\(key(pair.key)) = \(value(pair.value, multiline: true))\n"
    }

    /// A key, quoted when it is not a bare key.
    public static func key(_ key: String) -> String {
        let bare = !key.isEmpty && key.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
        }
        return bare ? key : quoted(key)
    }

    /// A value's TOML text. With `multiline`, long string arrays get one item per line.
    public static func value(_ value: TOMLValue, multiline: Bool = false) -> String {
        switch value {
        case .string(let s): return quoted(s)
        case .integer(let i): return String(i)
        case .float(let d):
            if d.isNaN { return "nan" }
            if d.isInfinite { return d < 0 ? "-inf" : "inf" }
            if d == d.rounded(), abs(d) < 1e15 { return String(Int(d)) + ".0" }
            return "\(d)"
        case .boolean(let b): return b ? "true" : "false"
        case .dateTime(let text): return text
        case .array(let items):
            let isStrings = items.allSatisfy { if case .string = $0 { true } else { false } }
            if multiline && isStrings && items.count > 2 {
                return "[\n" + items.map { "  " + self.value($0) + ",\n" }.joined() + "]"
            }
            return "[" + items.map { self.value($0) }.joined(separator: ", ") + "]"
        case .table(let entries):
            if entries.isEmpty { return "{}" }
            return "{ " + entries.map { "\(key($0.key)) = \(self.value($0.value))" }.joined(separator: ", ") + " }"
        }
    }

    /// A basic (double-quoted) string with the required escapes.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
