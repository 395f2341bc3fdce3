/// A position in a configuration file: 1-based line and column (in characters).
public struct SourceMark: Sendable, Equatable, Hashable {
    /// The file as the user named it (relative paths stay relative to the working directory).
    public let file: String
    /// 1-based line; 0 when the problem concerns the whole file.
    public let line: Int
    /// 1-based column; 0 when the problem concerns the whole file.
    public let column: Int

    /// Creates a mark.
    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }
}

/// A compact position inside the node tree: an index into the decoder's file table plus
/// 1-based line and column (trivially copyable, so nodes cost no reference counting for it).
struct Mark: Sendable, Hashable {
    let file: Int32
    let line: Int32
    let column: Int32
}

/// A scalar of the YAML node tree.
struct YAMLScalar: Sendable {
    /// The scalar's text.
    let value: String
    /// Whether the scalar was written plain (unquoted, not a block scalar); only plain
    /// scalars can be numbers, booleans or null.
    let plain: Bool
    let mark: Mark

    /// Plain empty scalars, `~` and `null` are YAML nulls.
    var isNull: Bool {
        plain && (value.isEmpty || value == "~" || value == "null" || value == "Null" || value == "NULL")
    }
}

/// One `key: value` pair of a mapping (keys are always scalars).
struct YAMLEntry: Sendable {
    let key: YAMLScalar
    let value: YAMLNode
    /// Set when the entry was inherited from `defaults`: the key path to report problems under.
    let inheritedPath: String?
}

/// The node tree built from libyaml's event stream.
enum YAMLNode: Sendable {
    case scalar(YAMLScalar)
    case mapping([YAMLEntry], Mark)
    case sequence([YAMLNode], Mark)

    var mark: Mark {
        switch self {
        case .scalar(let scalar): scalar.mark
        case .mapping(_, let mark), .sequence(_, let mark): mark
        }
    }

    /// A short noun for messages ("a mapping", "a list", "a string", "null", "a number").
    var kindDescription: String {
        switch self {
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .scalar(let scalar):
            if scalar.isNull { return "null" }
            if scalar.plain, scalar.value.first.map({ $0.isNumber || $0 == "-" || $0 == "+" }) == true,
               Int64(scalar.value.replacingOccurrences(of: "_", with: "")) != nil || Double(scalar.value) != nil {
                return "a number"
            }
            if scalar.plain, YAMLNode.boolValue(scalar.value) != nil { return "a boolean" }
            return "a string"
        }
    }

    static func boolValue(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    /// Deep merge: `self` (the more specific node) wins; mappings merge key by key; every
    /// entry taken from `base` is marked as inherited under `basePath`.
    func merged(over base: YAMLNode, basePath: String) -> YAMLNode {
        guard case .mapping(let own, let mark) = self, case .mapping(let inherited, _) = base else { return self }
        var result = own
        for entry in inherited {
            let childPath = entry.inheritedPath ?? (basePath + "." + entry.key.value)
            if let index = result.firstIndex(where: { $0.key.value == entry.key.value }) {
                let mine = result[index]
                result[index] = YAMLEntry(key: mine.key, value: mine.value.merged(over: entry.value, basePath: childPath),
                                          inheritedPath: mine.inheritedPath)
            } else {
                result.append(YAMLEntry(key: entry.key, value: entry.value, inheritedPath: childPath))
            }
        }
        return .mapping(result, mark)
    }
}
