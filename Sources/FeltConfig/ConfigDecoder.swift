/// A mapping being decoded, with the key path it sits at.
struct Fields {
    let entries: [YAMLEntry]
    /// The path of the mapping, or of the list holding it when `item` is set.
    let base: String
    /// The list item's id or index (rendered `base[item]`), built into a path only when needed.
    let item: String?
    /// A key under the item (rendered `base[item].key`), for mappings nested one level in a list item.
    var key: String? = nil
    let mark: Mark

    init(entries: [YAMLEntry], base: String, item: String?, key: String? = nil, mark: Mark) {
        self.entries = entries
        self.base = base
        self.item = item
        self.key = key
        self.mark = mark
    }

    var path: String {
        var text = base
        if let item { text += "[" + item + "]" }
        if let key { text += (text.isEmpty ? "" : ".") + key }
        return text
    }

    func entry(_ key: String) -> YAMLEntry? {
        for entry in entries where entry.key.value == key { return entry }
        return nil
    }

    func has(_ key: String) -> Bool { entry(key) != nil }

    /// The key path of `entry`: its inherited `defaults` path, or this mapping's path plus the key.
    func path(of entry: YAMLEntry) -> String {
        entry.inheritedPath ?? (path.isEmpty ? entry.key.value : path + "." + entry.key.value)
    }

    func childPath(_ key: String) -> String { path.isEmpty ? key : path + "." + key }
}

/// Decodes the node tree into typed values, collecting every issue instead of stopping.
struct ConfigDecoder {
    var issues: [ConfigIssue] = []
    let environment: [String: String]
    let limits: ConfigLimits
    /// Every host seen so far, with the tenant that claimed it first.
    var hostOwners: [String: (tenant: String, mark: Mark)] = [:]
    /// Display paths of the files read; `Mark.file` indexes this.
    var files: [String] = []
    /// `defaults` minus `table_type`, merged under every tenant.
    var tenantDefaults: YAMLNode?
    /// `defaults.table_type`, merged under every table type.
    var tableTypeDefaults: YAMLNode?
    /// Tenants decoded so far (valid ones only).
    var tenants: [TenantConfig] = []
    /// Tenant ids seen so far, with where.
    var tenantIDs: [String: Mark] = [:]
    /// Tenant entries seen in all files (valid or not).
    var tenantNodeCount = 0
    /// Secret files already read in this load, by resolved path.
    var secretFiles: [String: Result<[UInt8], FileReading.Failure>] = [:]

    init(environment: [String: String], limits: ConfigLimits) {
        self.environment = environment
        self.limits = limits
    }

    /// A decoder for decoding one file on another thread: same environment, limits, file
    /// table, defaults and secret cache; no issues, tenants or cross-tenant state.
    func worker() -> ConfigDecoder {
        var worker = ConfigDecoder(environment: environment, limits: limits)
        worker.files = files
        worker.tenantDefaults = tenantDefaults
        worker.tableTypeDefaults = tableTypeDefaults
        worker.secretFiles = secretFiles
        return worker
    }

    mutating func report(_ mark: Mark, _ path: String, _ code: ConfigIssue.Code, _ message: String) {
        issues.append(ConfigIssue(source(mark), path, code, message))
    }

    /// The file a mark points into.
    func fileName(_ mark: Mark) -> String {
        let index = Int(mark.file)
        return index >= 0 && index < files.count ? files[index] : "?"
    }

    /// The public form of a mark.
    func source(_ mark: Mark) -> SourceMark {
        SourceMark(file: fileName(mark), line: Int(mark.line), column: Int(mark.column))
    }

    /// `file:line:column`.
    func place(_ mark: Mark) -> String { "\(fileName(mark)):\(mark.line):\(mark.column)" }

    // MARK: Structure

    /// The node as a mapping whose keys are all in `allowed`; reports unknown keys.
    mutating func fields(_ node: YAMLNode, _ path: String, allowed: [String]) -> Fields? {
        fields(node, base: path, item: nil, allowed: allowed)
    }

    /// A list item that must be a mapping; its path is `base[item]`.
    mutating func fields(_ node: YAMLNode, base: String, item: String?, allowed: [String]) -> Fields? {
        guard case .mapping(let entries, let mark) = node else {
            report(node.mark, item.map { base + "[" + $0 + "]" } ?? base, .wrongType, "expected a mapping, got \(node.kindDescription)")
            return nil
        }
        let fields = Fields(entries: entries, base: base, item: item, mark: mark)
        for entry in entries where !allowed.contains(entry.key.value) {
            report(entry.key.mark, fields.path(of: entry), .unknownKey,
                   "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
        return fields
    }

    /// The mapping under `entry` of `parent`, with its key path built only when needed.
    mutating func child(_ parent: Fields, _ entry: YAMLEntry, allowed: [String]) -> Fields? {
        guard case .mapping(let entries, let mark) = entry.value else {
            report(entry.value.mark, parent.path(of: entry), .wrongType, "expected a mapping, got \(entry.value.kindDescription)")
            return nil
        }
        let fields: Fields
        if let inherited = entry.inheritedPath {
            fields = Fields(entries: entries, base: inherited, item: nil, mark: mark)
        } else if parent.key == nil {
            fields = Fields(entries: entries, base: parent.base, item: parent.item, key: entry.key.value, mark: mark)
        } else {
            fields = Fields(entries: entries, base: parent.path, item: nil, key: entry.key.value, mark: mark)
        }
        for child in entries where !allowed.contains(child.key.value) {
            report(child.key.mark, fields.path(of: child), .unknownKey,
                   "unknown key (expected one of: \(allowed.joined(separator: ", ")))")
        }
        return fields
    }

    /// The entry for a required key; reports `missing_key` at the mapping.
    mutating func require(_ fields: Fields, _ key: String) -> YAMLEntry? {
        if let entry = fields.entry(key) { return entry }
        report(fields.mark, fields.childPath(key), .missingKey, "missing required key")
        return nil
    }

    /// The items of a list.
    mutating func list(_ node: YAMLNode, _ path: @autoclosure () -> String) -> [YAMLNode]? {
        guard case .sequence(let items, _) = node else {
            report(node.mark, path(), .wrongType, "expected a list, got \(node.kindDescription)")
            return nil
        }
        return items
    }

    // MARK: Scalars

    mutating func string(_ node: YAMLNode, _ path: @autoclosure () -> String) -> String? {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected a string, got \(node.kindDescription)")
            return nil
        }
        return scalar.value
    }

    /// A non-empty string of at most `maxLength` characters.
    mutating func text(_ node: YAMLNode, _ path: @autoclosure () -> String, maxLength: Int = 200) -> String? {
        guard let value = string(node, path()) else { return nil }
        if value.isEmpty || (value.utf8.count > maxLength && value.count > maxLength) {
            report(node.mark, path(), .invalidValue, "must be 1 to \(maxLength) characters long")
            return nil
        }
        return value
    }

    mutating func integer(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Int64? {
        guard case .scalar(let scalar) = node, scalar.plain, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected an integer, got \(node.kindDescription)")
            return nil
        }
        var text = Substring(scalar.value)
        var negative = false
        if text.first == "-" || text.first == "+" { negative = text.first == "-"; text = text.dropFirst() }
        var value: Int64 = 0
        var digits = 0
        for byte in text.utf8 {
            if byte == UInt8(ascii: "_"), digits > 0 { continue }
            guard byte >= 0x30, byte <= 0x39 else {
                report(node.mark, path(), .wrongType, "expected an integer, got \(node.kindDescription)")
                return nil
            }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int64(byte - 0x30))
            if overflow1 || overflow2 {
                report(node.mark, path(), .outOfRange, "is too large")
                return nil
            }
            value = sum
            digits += 1
        }
        guard digits > 0 else {
            report(node.mark, path(), .wrongType, "expected an integer, got \(node.kindDescription)")
            return nil
        }
        return negative ? -value : value
    }

    /// An integer within `range`; `rangeText` replaces the default "must be between A and B".
    mutating func integer(_ node: YAMLNode, _ path: @autoclosure () -> String, in range: ClosedRange<Int64>, _ rangeText: String? = nil) -> Int64? {
        guard let value = integer(node, path()) else { return nil }
        guard range.contains(value) else {
            report(node.mark, path(), .outOfRange, rangeText ?? "must be between \(range.lowerBound) and \(range.upperBound)")
            return nil
        }
        return value
    }

    mutating func bool(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Bool? {
        if case .scalar(let scalar) = node, scalar.plain, let value = YAMLNode.boolValue(scalar.value) { return value }
        report(node.mark, path(), .wrongType, "expected true or false, got \(node.kindDescription)")
        return nil
    }

    mutating func duration(_ node: YAMLNode, _ path: @autoclosure () -> String) -> ConfigDuration? {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected a duration such as 30s, got \(node.kindDescription)")
            return nil
        }
        guard let value = ConfigDuration(parsing: scalar.value) else {
            report(node.mark, path(), .invalidValue,
                   "'\(scalar.value)' is not a duration; write a number with a unit (ms, s, m, h, d), e.g. 30s or 1h30m")
            return nil
        }
        return value
    }

    mutating func rate(_ node: YAMLNode, _ path: @autoclosure () -> String) -> RateLimit? {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected a rate such as 10/1m, got \(node.kindDescription)")
            return nil
        }
        guard let value = RateLimit(parsing: scalar.value) else {
            report(node.mark, path(), .invalidValue, "'\(scalar.value)' is not a rate; write COUNT/PERIOD, e.g. 10/1m or 5/s")
            return nil
        }
        return value
    }

    /// One of `choices` (exact spelling).
    mutating func choice(_ node: YAMLNode, _ path: @autoclosure () -> String, _ choices: [String]) -> String? {
        guard let value = string(node, path()) else { return nil }
        guard choices.contains(value) else {
            report(node.mark, path(), .invalidValue, "must be one of: \(choices.joined(separator: ", ")) (got '\(value)')")
            return nil
        }
        return value
    }

    /// A percentage with at most two decimals, as basis points.
    mutating func basisPoints(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Int? {
        guard case .scalar(let scalar) = node, scalar.plain, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected a number, got \(node.kindDescription)")
            return nil
        }
        var negative = false
        var whole = 0, wholeDigits = 0, fraction = 0, fractionDigits = 0
        var inFraction = false
        var wellFormed = true
        for (offset, byte) in scalar.value.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "-") where offset == 0: negative = true
            case UInt8(ascii: "+") where offset == 0: continue
            case UInt8(ascii: "."): if inFraction { wellFormed = false } else { inFraction = true }
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                if inFraction {
                    fractionDigits += 1
                    if fractionDigits <= 2 { fraction = fraction * 10 + Int(byte - 48) }
                } else {
                    wholeDigits += 1
                    if wholeDigits <= 9 { whole = whole * 10 + Int(byte - 48) }
                }
            default: wellFormed = false
            }
        }
        guard wellFormed, wholeDigits > 0, !(inFraction && fractionDigits == 0) else {
            report(node.mark, path(), .wrongType, "expected a number such as 5 or 2.5, got '\(scalar.value)'")
            return nil
        }
        guard fractionDigits <= 2 else {
            report(node.mark, path(), .invalidValue, "at most two decimals are allowed")
            return nil
        }
        guard wholeDigits <= 9 else {
            report(node.mark, path(), .outOfRange, "is too large")
            return nil
        }
        if fractionDigits == 1 { fraction *= 10 }
        let points = whole * 100 + fraction
        return negative ? -points : points
    }

    /// A byte size: an integer, or a number with B, KiB, MiB, GiB (or KB, MB, GB).
    mutating func byteSize(_ node: YAMLNode, _ path: @autoclosure () -> String) -> Int? {
        guard case .scalar(let scalar) = node, !scalar.isNull else {
            report(node.mark, path(), .wrongType, "expected a size such as 1MiB, got \(node.kindDescription)")
            return nil
        }
        let text = scalar.value
        let digits = text.prefix { $0.isASCII && $0.isNumber }
        let unit = text.dropFirst(digits.count).trimmingPrefix(" ")
        let multipliers: [Substring: Int] = ["": 1, "B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30,
                                             "KB": 1000, "MB": 1_000_000, "GB": 1_000_000_000]
        guard !digits.isEmpty, digits.count <= 12, let number = Int(digits), let multiplier = multipliers[unit] else {
            report(node.mark, path(), .invalidValue, "'\(text)' is not a size; write e.g. 1048576, 512KiB or 1MiB")
            return nil
        }
        let (size, overflow) = number.multipliedReportingOverflow(by: multiplier)
        guard !overflow else {
            report(node.mark, path(), .outOfRange, "is too large")
            return nil
        }
        return size
    }

    // MARK: Secrets

    /// A secret given by exactly one of the reference keys in `sources` (`*_env` reads the
    /// environment, `*_file` a file relative to the folder of the file it is written in).
    /// Returns `.absent` when none is given and `required` is nil.
    mutating func secret(_ fields: Fields, env envKey: String?, file fileKey: String, required: String?) -> SecretLookup {
        let given = [envKey, fileKey].compactMap { $0 }.compactMap { fields.entry($0) }
        if given.count > 1 {
            let second = given[1]
            report(second.key.mark, fields.path(of: second), .conflictingKeys,
                   "give only one of \([envKey, fileKey].compactMap { $0 }.joined(separator: ", "))")
            return .invalid
        }
        guard let entry = given.first else {
            if let required {
                report(fields.mark, fields.path, .missingKey, required)
                return .invalid
            }
            return .absent
        }
        let path = fields.path(of: entry)
        guard let reference = string(entry.value, path) else { return .invalid }
        if entry.key.value == envKey {
            guard let value = environment[reference], !value.isEmpty else {
                report(entry.value.mark, path, .secretMissing, "environment variable \(reference) is not set")
                return .invalid
            }
            return .value(SecretValue(bytes: Array(value.utf8), source: "env \(reference)"))
        }
        let filePath = FileReading.join(FileReading.directory(of: fileName(entry.value.mark)), reference)
        let read: Result<[UInt8], FileReading.Failure>
        if let cached = secretFiles[filePath] {
            read = cached
        } else {
            read = FileReading.read(filePath, maxBytes: limits.maxSecretFileBytes, what: "secret file").map(\.bytes)
            secretFiles[filePath] = read
        }
        switch read {
        case .failure(let failure):
            report(entry.value.mark, path, .secretUnreadable, failure.message)
            return .invalid
        case .success(var bytes):
            while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
            if bytes.isEmpty {
                report(entry.value.mark, path, .secretMissing, "secret file \(filePath) is empty")
                return .invalid
            }
            return .value(SecretValue(bytes: bytes, source: "file \(filePath)"))
        }
    }
}

/// The outcome of looking up a secret reference.
enum SecretLookup {
    /// No reference key was given.
    case absent
    /// A reference was given but is wrong (already reported).
    case invalid
    /// The resolved secret.
    case value(SecretValue)

    var value: SecretValue? {
        if case .value(let secret) = self { return secret }
        return nil
    }
}
