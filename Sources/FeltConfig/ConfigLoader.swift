/// Reads the root file and every included file, handing each file's tenants to the decoder.
///
/// Includes are globs relative to the folder of the file that names them. A file that is
/// already on the include chain is a cycle; a file included twice elsewhere is an error
/// too. Files are told apart by device and inode, so symlinks and `..` cannot hide a cycle.
struct ConfigLoader {
    let limits: ConfigLimits
    /// File identity → where it was first included from (`nil` for the root).
    private var seen: [FileReading.Identity: Mark?] = [:]
    private var chain: [FileReading.Identity] = []
    private var chainDisplay: [String] = []
    private var totalBytes = 0

    init(limits: ConfigLimits) { self.limits = limits }

    private func wholeFile(_ display: String, _ code: ConfigIssue.Code, _ message: String) -> ConfigIssue {
        ConfigIssue(SourceMark(file: display, line: 0, column: 0), "", code, message)
    }

    /// Loads the root file and everything it includes; returns the root's fields.
    mutating func loadRoot(_ path: String, decoder: inout ConfigDecoder) -> Fields? {
        guard let (node, identity) = readAndParse(path, includedFrom: nil, includePath: "", decoder: &decoder) else { return nil }
        guard let fields = decoder.fields(node, "", allowed: ["server", "database", "defaults", "include", "tenants"]) else { return nil }
        decoder.prepareDefaults(fields)
        follow(fields, identity: identity, display: path, decoder: &decoder)
        return fields
    }

    /// Reads, checks and parses one file. Returns `nil` (with an issue) when it cannot be used,
    /// is a cycle, or was already included.
    private mutating func readAndParse(_ display: String, includedFrom: Mark?, includePath: String,
                                       decoder: inout ConfigDecoder) -> (YAMLNode, FileReading.Identity)? {
        if decoder.files.count >= limits.maxFiles, let includedFrom {
            decoder.report(includedFrom, includePath, .tooManyFiles, "more than \(limits.maxFiles) configuration files")
            return nil
        }
        let bytes: [UInt8]
        let identity: FileReading.Identity
        switch FileReading.read(display, maxBytes: limits.maxFileBytes, what: "configuration file") {
        case .failure(let failure):
            decoder.issues.append(wholeFile(display, failure.code, failure.message))
            return nil
        case .success(let read):
            (bytes, identity) = read
        }
        if let includedFrom {
            if let position = chain.firstIndex(of: identity) {
                let cycle = (chainDisplay[position...] + [display]).joined(separator: " → ")
                decoder.report(includedFrom, includePath, .includeCycle, "include cycle: \(cycle)")
                return nil
            }
            if let first = seen[identity] {
                let from = first.map { " (first included at \(decoder.place($0)))" } ?? " (it is the root file)"
                decoder.report(includedFrom, includePath, .duplicateInclude, "\(display) is already included\(from)")
                return nil
            }
        }
        seen[identity] = .some(includedFrom)
        let fileID = Int32(decoder.files.count)
        decoder.files.append(display)
        totalBytes += bytes.count
        if totalBytes > limits.maxTotalBytes {
            decoder.issues.append(wholeFile(display, .fileTooLarge,
                                            "the configuration files together exceed \(FileReading.sizeText(limits.maxTotalBytes))"))
            return nil
        }
        if let issue = FileReading.checkText(bytes, file: display) {
            decoder.issues.append(issue)
            return nil
        }
        let parser = YAMLParser(file: display, fileID: fileID, maxDepth: limits.maxDepth, maxNodes: limits.maxNodesPerFile)
        switch parser.parse(bytes) {
        case .failure(let issue):
            decoder.issues.append(issue)
            return nil
        case .success(nil):
            decoder.issues.append(wholeFile(display, .emptyDocument, "the file is empty; expected a mapping"))
            return nil
        case .success(let node?):
            return (node, identity)
        }
    }

    /// Collects the `tenants` of a file and follows its `include`s (depth first).
    private mutating func follow(_ fields: Fields, identity: FileReading.Identity, display: String, decoder: inout ConfigDecoder) {
        if let entry = fields.entry("tenants"), let items = decoder.list(entry.value, "tenants") {
            decoder.decodeTenants(items)
        }
        guard let entry = fields.entry("include") else { return }
        var patterns: [(String, Mark, String)] = []
        if case .scalar = entry.value {
            if let text = decoder.text(entry.value, "include", maxLength: 4096) { patterns.append((text, entry.value.mark, "include")) }
        } else if let items = decoder.list(entry.value, "include") {
            for (index, item) in items.enumerated() {
                if let text = decoder.text(item, "include[\(index)]", maxLength: 4096) { patterns.append((text, item.mark, "include[\(index)]")) }
            }
        }
        chain.append(identity)
        chainDisplay.append(display)
        defer {
            chain.removeLast()
            chainDisplay.removeLast()
        }
        for (pattern, mark, path) in patterns {
            let full = FileReading.join(FileReading.directory(of: display), pattern)
            let matches = FileReading.glob(full)
            if matches.isEmpty {
                decoder.report(mark, path, .includeNoMatch, "'\(pattern)' matches no file (looked for \(full))")
                continue
            }
            for match in matches {
                guard let (node, childIdentity) = readAndParse(match, includedFrom: mark, includePath: path, decoder: &decoder),
                      let childFields = decoder.fields(node, "", allowed: ["include", "tenants"]) else { continue }
                follow(childFields, identity: childIdentity, display: match, decoder: &decoder)
            }
        }
    }
}
