/// One problem found while loading a configuration.
///
/// Rendered as `file:line:column key.path: message` (the position is left out when the
/// problem concerns a whole file, the key path when it concerns no key).
public struct ConfigIssue: Error, Sendable, Equatable, Hashable, CustomStringConvertible {
    /// Stable, machine-readable problem codes.
    public enum Code: String, Sendable, Equatable, Hashable, CaseIterable {
        // Files
        case fileNotFound = "file_not_found"
        case fileUnreadable = "file_unreadable"
        case notARegularFile = "not_a_regular_file"
        case fileTooLarge = "file_too_large"
        case binaryData = "binary_data"
        case invalidUTF8 = "invalid_utf8"
        case emptyDocument = "empty_document"
        // YAML structure
        case syntaxError = "syntax_error"
        case multipleDocuments = "multiple_documents"
        case duplicateKey = "duplicate_key"
        case aliasNotAllowed = "alias_not_allowed"
        case tooDeep = "too_deep"
        case tooManyNodes = "too_many_nodes"
        // Includes
        case includeCycle = "include_cycle"
        case includeNoMatch = "include_no_match"
        case duplicateInclude = "duplicate_include"
        case tooManyFiles = "too_many_files"
        // Schema
        case unknownKey = "unknown_key"
        case wrongType = "wrong_type"
        case missingKey = "missing_key"
        case conflictingKeys = "conflicting_keys"
        case invalidValue = "invalid_value"
        case outOfRange = "out_of_range"
        case invalidID = "invalid_id"
        case reservedID = "reserved_id"
        case duplicateID = "duplicate_id"
        case duplicateHost = "duplicate_host"
        case invalidHost = "invalid_host"
        case unknownTableType = "unknown_table_type"
        case limitExceeded = "limit_exceeded"
        // Secrets
        case secretMissing = "secret_missing"
        case secretUnreadable = "secret_unreadable"
        case secretTooShort = "secret_too_short"
        case invalidKeyFile = "invalid_key_file"
    }

    /// The file the problem is in, as the user named it.
    public let file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public let line: Int
    /// 1-based column, or 0 when the problem concerns the whole file.
    public let column: Int
    /// Where in the configuration, e.g. `tenants[aces].table_types[nl-10-20].blinds.big`; may be empty.
    public let keyPath: String
    /// A human sentence fragment, e.g. `must be greater than the small blind (10)`.
    public let message: String
    /// The stable problem code.
    public let code: Code

    /// Creates an issue.
    public init(file: String, line: Int, column: Int, keyPath: String, message: String, code: Code) {
        self.file = file
        self.line = line
        self.column = column
        self.keyPath = keyPath
        self.message = message
        self.code = code
    }

    init(_ mark: SourceMark, _ keyPath: String, _ code: Code, _ message: String) {
        self.init(file: mark.file, line: mark.line, column: mark.column, keyPath: keyPath, message: message, code: code)
    }

    /// `file:line:column key.path: message`.
    public var description: String {
        var text = file
        if line > 0 { text += ":\(line):\(column)" }
        if !keyPath.isEmpty {
            text += " " + keyPath
        }
        return text + ": " + message
    }
}

/// Every problem found in a configuration; thrown by ``FeltConfiguration/load(path:environment:limits:)``.
public struct ConfigErrors: Error, Sendable, Equatable, CustomStringConvertible {
    /// The problems in file order (then by position), never empty.
    public let issues: [ConfigIssue]

    /// Wraps `issues`.
    public init(issues: [ConfigIssue]) {
        self.issues = issues
    }

    /// One issue per line.
    public var description: String {
        issues.map(\.description).joined(separator: "\n")
    }
}
