import Dispatch

/// Reads the root file and every included file, handing each file's tenants to the decoder.
///
/// Includes are globs relative to the folder of the file that names them. A file that is
/// already on the include chain is a cycle; a file included twice elsewhere is an error
/// too. Files are told apart by device and inode, so symlinks and `..` cannot hide a cycle.
/// The files matched by one glob are read and parsed in parallel batches; everything that
/// decides what is accepted (identity checks, limits, decoding) stays sequential and in order.
struct ConfigLoader {
    let limits: ConfigLimits
    /// File identity → where it was first included from (`nil` for the root).
    private var seen: [FileReading.Identity: Mark?] = [:]
    private var chain: [FileReading.Identity] = []
    private var chainDisplay: [String] = []
    private var totalBytes = 0
    /// Files parsed and decoded per batch (concurrently when `limits.parallel`).
    static let batchSize = 256

    init(limits: ConfigLimits) { self.limits = limits }

    /// What reading, parsing and decoding one file produced (computed off the loader,
    /// possibly in parallel); used only if the loader accepts the file.
    struct ParsedFile: Sendable {
        let display: String
        /// The node tree is kept only when the file was not decoded by a worker (the root).
        let outcome: Result<(node: YAMLNode?, identity: FileReading.Identity, size: Int), ConfigIssue>
        var decoded: DecodedFile? = nil
    }

    /// An included file's top-level fields, its own problems and its tenants, decoded alone.
    struct DecodedFile: Sendable {
        /// The file's `include` entry only (so the rest of its tree can be freed).
        let fields: Fields?
        let issues: [ConfigIssue]
        let outcomes: [TenantOutcome]
    }

    private static func wholeFile(_ display: String, _ code: ConfigIssue.Code, _ message: String) -> ConfigIssue {
        ConfigIssue(SourceMark(file: display, line: 0, column: 0), "", code, message)
    }

    /// Reads, checks and parses one file, then (given a `worker` decoder) decodes its
    /// top level and tenants; touches no shared state.
    static func parseFile(_ display: String, fileID: Int32, limits: ConfigLimits, worker: ConfigDecoder? = nil) -> ParsedFile {
        let bytes: [UInt8]
        let identity: FileReading.Identity
        switch FileReading.read(display, maxBytes: limits.maxFileBytes, what: "configuration file") {
        case .failure(let failure):
            return ParsedFile(display: display, outcome: .failure(wholeFile(display, failure.code, failure.message)))
        case .success(let read):
            (bytes, identity) = read
        }
        if let issue = FileReading.checkText(bytes, file: display) {
            return ParsedFile(display: display, outcome: .failure(issue))
        }
        let parser = YAMLParser(file: display, fileID: fileID, maxDepth: limits.maxDepth, maxNodes: limits.maxNodesPerFile)
        switch parser.parse(bytes) {
        case .failure(let issue):
            return ParsedFile(display: display, outcome: .failure(issue))
        case .success(nil):
            return ParsedFile(display: display, outcome: .failure(wholeFile(display, .emptyDocument, "the file is empty; expected a mapping")))
        case .success(let node?):
            guard var decoder = worker else {
                return ParsedFile(display: display, outcome: .success((node, identity, bytes.count)))
            }
            let fields = decoder.fields(node, "", allowed: ["include", "tenants"])
            var outcomes: [TenantOutcome] = []
            if let entry = fields?.entry("tenants"), let items = decoder.list(entry.value, "tenants") {
                outcomes = decoder.tenantOutcomes(items)
            }
            let includes = fields.map { Fields(entries: $0.entries.filter { $0.key.value == "include" }, base: "", item: nil, mark: $0.mark) }
            return ParsedFile(display: display, outcome: .success((nil, identity, bytes.count)),
                              decoded: DecodedFile(fields: includes, issues: decoder.issues, outcomes: outcomes))
        }
    }

    /// Loads the root file and everything it includes; returns the root's fields.
    mutating func loadRoot(_ path: String, decoder: inout ConfigDecoder) -> Fields? {
        let fileID = Int32(decoder.files.count)
        decoder.files.append(path)
        let parsed = ConfigLoader.parseFile(path, fileID: fileID, limits: limits)
        guard let (parsedNode, identity) = accept(parsed, includedFrom: nil, includePath: "", decoder: &decoder),
              let node = parsedNode else { return nil }
        guard let fields = decoder.fields(node, "", allowed: ["server", "database", "defaults", "include", "tenants"]) else { return nil }
        decoder.prepareDefaults(fields)
        if let entry = fields.entry("tenants"), let items = decoder.list(entry.value, "tenants") {
            let outcomes = decoder.tenantOutcomes(items)
            decoder.merge(outcomes)
        }
        follow(fields, identity: identity, display: path, decoder: &decoder)
        return fields
    }

    /// Decides whether a parsed file is used: reports its problems, cycles, repeats and the
    /// total-size limit.
    private mutating func accept(_ parsed: ParsedFile, includedFrom: Mark?, includePath: String,
                                 decoder: inout ConfigDecoder) -> (YAMLNode?, FileReading.Identity)? {
        let node: YAMLNode?, identity: FileReading.Identity, size: Int
        switch parsed.outcome {
        case .failure(let issue):
            decoder.issues.append(issue)
            return nil
        case .success(let result):
            (node, identity, size) = result
        }
        if let includedFrom {
            if let position = chain.firstIndex(of: identity) {
                let cycle = (chainDisplay[position...] + [parsed.display]).joined(separator: " → ")
                decoder.report(includedFrom, includePath, .includeCycle, "include cycle: \(cycle)")
                return nil
            }
            if let first = seen[identity] {
                let from = first.map { " (first included at \(decoder.place($0)))" } ?? " (it is the root file)"
                decoder.report(includedFrom, includePath, .duplicateInclude, "\(parsed.display) is already included\(from)")
                return nil
            }
        }
        seen[identity] = .some(includedFrom)
        totalBytes += size
        if totalBytes > limits.maxTotalBytes {
            decoder.issues.append(ConfigLoader.wholeFile(parsed.display, .fileTooLarge,
                                                         "the configuration files together exceed \(FileReading.sizeText(limits.maxTotalBytes))"))
            return nil
        }
        return (node, identity)
    }

    /// Parses and decodes `paths` concurrently (file ids are assigned up front, in order).
    private func parseBatch(_ paths: [String], firstFileID: Int32, worker: ConfigDecoder) -> [ParsedFile] {
        let limits = self.limits
        guard limits.parallel, paths.count > 1 else {
            return paths.enumerated().map { index, path in
                ConfigLoader.parseFile(path, fileID: firstFileID + Int32(index), limits: limits, worker: worker)
            }
        }
        let slots = ParsedSlots(count: paths.count)
        DispatchQueue.concurrentPerform(iterations: paths.count) { index in
            slots.store(ConfigLoader.parseFile(paths[index], fileID: firstFileID + Int32(index), limits: limits, worker: worker),
                        at: index)
        }
        return slots.collect()
    }

    /// Follows the `include`s of a file (depth first, in order); included files' tenants
    /// are merged into the decoder in that same order.
    private mutating func follow(_ fields: Fields, identity: FileReading.Identity, display: String, decoder: inout ConfigDecoder) {
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
        if !patterns.isEmpty, chain.count > limits.maxIncludeDepth {
            decoder.report(patterns[0].1, patterns[0].2, .tooDeep, "includes nested deeper than \(limits.maxIncludeDepth) levels")
            return
        }
        for (pattern, mark, path) in patterns {
            let full = FileReading.join(FileReading.directory(of: display), pattern)
            var matches = FileReading.glob(full)[...]
            if matches.isEmpty {
                decoder.report(mark, path, .includeNoMatch, "'\(pattern)' matches no file (looked for \(full))")
                continue
            }
            while !matches.isEmpty {
                let room = limits.maxFiles - decoder.files.count
                guard room > 0 else {
                    decoder.report(mark, path, .tooManyFiles, "more than \(limits.maxFiles) configuration files")
                    break
                }
                let batch = Array(matches.prefix(min(ConfigLoader.batchSize, room)))
                matches = matches.dropFirst(batch.count)
                let firstFileID = Int32(decoder.files.count)
                decoder.files.append(contentsOf: batch)
                for parsed in parseBatch(batch, firstFileID: firstFileID, worker: decoder.worker()) {
                    guard let (_, childIdentity) = accept(parsed, includedFrom: mark, includePath: path, decoder: &decoder),
                          let decoded = parsed.decoded else { continue }
                    decoder.issues.append(contentsOf: decoded.issues)
                    decoder.merge(decoded.outcomes)
                    if let childFields = decoded.fields {
                        follow(childFields, identity: childIdentity, display: parsed.display, decoder: &decoder)
                    }
                }
            }
        }
    }
}

/// Result slots written by `concurrentPerform` iterations.
///
/// `@unchecked Sendable`: every iteration writes only its own slot, exactly once, and the
/// slots are read only after `concurrentPerform` has returned (which orders those writes
/// before the reads); the buffer is freed by `collect()`.
private final class ParsedSlots: @unchecked Sendable {
    private let buffer: UnsafeMutableBufferPointer<ConfigLoader.ParsedFile?>

    init(count: Int) {
        buffer = .allocate(capacity: count)
        buffer.initialize(repeating: nil)
    }

    func store(_ value: ConfigLoader.ParsedFile, at index: Int) { buffer[index] = value }

    /// Moves the results out and frees the buffer (call once, after all stores).
    func collect() -> [ConfigLoader.ParsedFile] {
        let values = buffer.compactMap { $0 }
        buffer.deinitialize()
        buffer.deallocate()
        return values
    }
}
