/// Reads the root file and every included file, collecting the tenant nodes.
///
/// Includes are globs relative to the folder of the file that names them. A file that is
/// already on the include chain is a cycle; a file included twice elsewhere is an error too.
struct ConfigLoader {
    let limits: ConfigLimits
    var issues: [ConfigIssue] = []
    /// Display paths of the files loaded, in load order.
    var files: [String] = []
    /// Real path → where it was first included from.
    private var seen: [String: SourceMark] = [:]
    private var chain: [String] = []
    private var chainDisplay: [String] = []
    private var totalBytes = 0
    /// Tenant nodes in declaration order, with their position in their own list.
    var tenantNodes: [(node: YAMLNode, index: Int)] = []

    init(limits: ConfigLimits) { self.limits = limits }

    /// Reads and parses one file; `nil` (with an issue) when it cannot be used.
    mutating func parseFile(_ display: String) -> YAMLNode? {
        let bytes: [UInt8]
        switch FileReading.read(display, maxBytes: limits.maxFileBytes, what: "configuration file") {
        case .failure(let failure):
            issues.append(ConfigIssue(SourceMark(file: display, line: 0, column: 0), "", failure.code, failure.message))
            return nil
        case .success(let read):
            bytes = read
        }
        totalBytes += bytes.count
        if totalBytes > limits.maxTotalBytes {
            issues.append(ConfigIssue(SourceMark(file: display, line: 0, column: 0), "", .fileTooLarge,
                                      "the configuration files together exceed \(FileReading.sizeText(limits.maxTotalBytes))"))
            return nil
        }
        if let issue = FileReading.checkText(bytes, file: display) {
            issues.append(issue)
            return nil
        }
        let parser = YAMLParser(file: display, maxDepth: limits.maxDepth, maxNodes: limits.maxNodesPerFile)
        switch parser.parse(bytes) {
        case .failure(let issue):
            issues.append(issue)
            return nil
        case .success(nil):
            issues.append(ConfigIssue(SourceMark(file: display, line: 0, column: 0), "", .emptyDocument,
                                      "the file is empty; expected a mapping"))
            return nil
        case .success(let node?):
            return node
        }
    }

    /// Loads the root file; returns its top-level fields' nodes (server, database, defaults).
    mutating func loadRoot(_ path: String, decoder: inout ConfigDecoder) -> Fields? {
        let real = FileReading.realPath(path)
        seen[real] = SourceMark(file: path, line: 0, column: 0)
        files.append(path)
        guard let node = parseFile(path) else { return nil }
        guard let fields = decoder.fields(node, "", allowed: ["server", "database", "defaults", "include", "tenants"]) else { return nil }
        chain.append(real)
        chainDisplay.append(path)
        collect(fields, decoder: &decoder)
        chain.removeLast()
        chainDisplay.removeLast()
        return fields
    }

    /// Collects the `tenants` of a file and follows its `include`s.
    private mutating func collect(_ fields: Fields, decoder: inout ConfigDecoder) {
        if let entry = fields.entry("tenants"), let items = decoder.list(entry.value, "tenants") {
            for (index, item) in items.enumerated() { tenantNodes.append((item, index)) }
        }
        guard let entry = fields.entry("include") else { return }
        var patterns: [(String, SourceMark, String)] = []
        if case .scalar = entry.value {
            if let text = decoder.text(entry.value, "include", maxLength: 4096) { patterns.append((text, entry.value.mark, "include")) }
        } else if let items = decoder.list(entry.value, "include") {
            for (index, item) in items.enumerated() {
                if let text = decoder.text(item, "include[\(index)]", maxLength: 4096) { patterns.append((text, item.mark, "include[\(index)]")) }
            }
        }
        for (pattern, mark, path) in patterns {
            let folder = FileReading.directory(of: mark.file)
            let full = FileReading.join(folder, pattern)
            let matches = FileReading.glob(full)
            if matches.isEmpty {
                issues.append(ConfigIssue(mark, path, .includeNoMatch,
                                          "'\(pattern)' matches no file (looked for \(full))"))
                continue
            }
            for match in matches {
                include(match, from: mark, path: path, decoder: &decoder)
            }
        }
    }

    private mutating func include(_ display: String, from mark: SourceMark, path: String, decoder: inout ConfigDecoder) {
        let real = FileReading.realPath(display)
        if let position = chain.firstIndex(of: real) {
            let cycle = (chainDisplay[position...] + [display]).joined(separator: " → ")
            issues.append(ConfigIssue(mark, path, .includeCycle, "include cycle: \(cycle)"))
            return
        }
        if let first = seen[real] {
            let from = first.line > 0 ? " (first included at \(ConfigDecoder.place(first)))" : " (it is the root file)"
            issues.append(ConfigIssue(mark, path, .duplicateInclude, "\(display) is already included\(from)"))
            return
        }
        if files.count >= limits.maxFiles {
            issues.append(ConfigIssue(mark, path, .tooManyFiles, "more than \(limits.maxFiles) configuration files"))
            return
        }
        seen[real] = mark
        files.append(display)
        guard let node = parseFile(display) else { return }
        guard let fields = decoder.fields(node, "", allowed: ["include", "tenants"]) else { return }
        chain.append(real)
        chainDisplay.append(display)
        collect(fields, decoder: &decoder)
        chain.removeLast()
        chainDisplay.removeLast()
    }
}
