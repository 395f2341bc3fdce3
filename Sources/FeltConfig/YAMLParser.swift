import CYAML

/// Builds a ``YAMLNode`` tree from libyaml's event stream (`yaml_parser_parse`).
///
/// Hostile-input policy: exactly one document; aliases are rejected outright (so no alias
/// bomb can expand); nesting deeper than `maxDepth` and more than `maxNodes` nodes stop the
/// parse; duplicate keys in one mapping and non-scalar keys are errors.
struct YAMLParser {
    let file: String
    let fileID: Int32
    let maxDepth: Int
    let maxNodes: Int

    /// A mapping or sequence under construction.
    private struct Frame {
        var isMapping: Bool
        var mark: Mark
        var entries: [YAMLEntry] = []
        var items: [YAMLNode] = []
        var pendingKey: YAMLScalar?
        /// Built once a mapping grows large, so duplicate detection stays linear.
        var keyIndex: [String: Mark]?

        init(isMapping: Bool, mark: Mark) {
            self.isMapping = isMapping
            self.mark = mark
            // One allocation for typical small mappings and lists instead of 1 → 2 → 4 → 8.
            if isMapping { entries.reserveCapacity(8) } else { items.reserveCapacity(8) }
        }
    }

    /// Parses `bytes` (already checked to be NUL-free UTF-8). Returns `nil` for a stream
    /// without any document (an empty or comment-only file).
    func parse(_ bytes: [UInt8]) -> Result<YAMLNode?, ConfigIssue> {
        bytes.withUnsafeBufferPointer { buffer in
            var parser = yaml_parser_t()
            guard yaml_parser_initialize(&parser) == 1 else {
                return .failure(ConfigIssue(SourceMark(file: file, line: 0, column: 0), "", .syntaxError,
                                            "cannot initialise the YAML parser"))
            }
            defer { yaml_parser_delete(&parser) }
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
            return run(&parser, buffer)
        }
    }

    private func mark(_ mark: yaml_mark_t) -> Mark {
        Mark(file: fileID, line: Int32(truncatingIfNeeded: mark.line + 1), column: Int32(truncatingIfNeeded: mark.column + 1))
    }

    private func source(_ mark: Mark) -> SourceMark {
        SourceMark(file: file, line: Int(mark.line), column: Int(mark.column))
    }

    private func run(_ parser: inout yaml_parser_t, _ buffer: UnsafeBufferPointer<UInt8>) -> Result<YAMLNode?, ConfigIssue> {
        var stack: [Frame] = []
        var root: YAMLNode?
        var documents = 0
        var nodes = 0
        var event = yaml_event_t()

        func fail(_ at: Mark, _ code: ConfigIssue.Code, _ message: String) -> Result<YAMLNode?, ConfigIssue> {
            .failure(ConfigIssue(source(at), "", code, message))
        }

        /// Attaches a finished node to its parent; returns an issue when that is impossible.
        func attach(_ node: YAMLNode) -> ConfigIssue? {
            guard !stack.isEmpty else { root = node; return nil }
            let top = stack.count - 1
            if !stack[top].isMapping {
                stack[top].items.append(node)
                return nil
            }
            guard let key = stack[top].pendingKey else {
                guard case .scalar(let key) = node else {
                    return ConfigIssue(source(node.mark), "", .wrongType, "mapping keys must be plain strings, not \(node.kindDescription)")
                }
                if let first = firstOccurrence(of: key, in: &stack[top]) {
                    return ConfigIssue(source(key.mark), "", .duplicateKey,
                                       "duplicate key '\(key.value)' (first defined at line \(first.line), column \(first.column))")
                }
                stack[top].pendingKey = key
                return nil
            }
            stack[top].entries.append(YAMLEntry(key: key, value: node, inheritedPath: nil))
            stack[top].pendingKey = nil
            return nil
        }

        while true {
            guard yaml_parser_parse(&parser, &event) == 1 else {
                return .failure(syntaxIssue(parser, buffer))
            }
            defer { yaml_event_delete(&event) }
            let at = mark(event.start_mark)
            switch event.type {
            case YAML_STREAM_START_EVENT, YAML_DOCUMENT_END_EVENT:
                continue
            case YAML_STREAM_END_EVENT:
                return .success(root)
            case YAML_DOCUMENT_START_EVENT:
                documents += 1
                if documents > 1 {
                    return fail(at, .multipleDocuments,
                                "a configuration file holds exactly one YAML document; found a second one here")
                }
            case YAML_ALIAS_EVENT:
                return fail(at, .aliasNotAllowed,
                            "YAML aliases (*name) are not supported in Felt configuration files; write the value out")
            case YAML_SCALAR_EVENT:
                nodes += 1
                if nodes > maxNodes { return fail(at, .tooManyNodes, "more than \(maxNodes) YAML nodes in one file") }
                let scalar = event.data.scalar
                let text: String
                if let value = scalar.value, scalar.length > 0 {
                    text = String(decoding: UnsafeBufferPointer(start: value, count: Int(scalar.length)), as: UTF8.self)
                } else {
                    text = ""
                }
                let node = YAMLNode.scalar(YAMLScalar(value: text, plain: scalar.style == YAML_PLAIN_SCALAR_STYLE, mark: at))
                if let issue = attach(node) { return .failure(issue) }
            case YAML_MAPPING_START_EVENT, YAML_SEQUENCE_START_EVENT:
                nodes += 1
                if nodes > maxNodes { return fail(at, .tooManyNodes, "more than \(maxNodes) YAML nodes in one file") }
                if let top = stack.last, top.isMapping, top.pendingKey == nil {
                    let kind = event.type == YAML_MAPPING_START_EVENT ? "a mapping" : "a list"
                    return fail(at, .wrongType, "mapping keys must be plain strings, not \(kind)")
                }
                if stack.count >= maxDepth {
                    return fail(at, .tooDeep, "nesting deeper than \(maxDepth) levels")
                }
                stack.append(Frame(isMapping: event.type == YAML_MAPPING_START_EVENT, mark: at))
            case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
                guard let frame = stack.popLast() else { continue }
                let node: YAMLNode = frame.isMapping ? .mapping(frame.entries, frame.mark) : .sequence(frame.items, frame.mark)
                if let issue = attach(node) { return .failure(issue) }
            default:
                continue
            }
        }
    }

    /// Linear scan for small mappings, a dictionary once they grow.
    private func firstOccurrence(of scalar: YAMLScalar, in frame: inout Frame) -> Mark? {
        let key = scalar.value
        if frame.keyIndex == nil, frame.entries.count >= 16 {
            var index: [String: Mark] = [:]
            for entry in frame.entries { index[entry.key.value] = entry.key.mark }
            frame.keyIndex = index
        }
        if frame.keyIndex != nil {
            if let found = frame.keyIndex?[key] { return found }
            frame.keyIndex?[key] = scalar.mark
            return nil
        }
        for entry in frame.entries where entry.key.value == key { return entry.key.mark }
        return nil
    }

    private func syntaxIssue(_ parser: yaml_parser_t, _ buffer: UnsafeBufferPointer<UInt8>) -> ConfigIssue {
        let problem = parser.problem.map { String(cString: $0) } ?? "malformed YAML"
        var message = "invalid YAML: " + problem
        if let context = parser.context {
            message += " " + String(cString: context)
        }
        let offset = Int(parser.problem_mark.index)
        if offset >= 0, offset < buffer.count, buffer[offset] == 0x09 {
            message += " (tabs are not allowed for indentation; use spaces)"
        }
        return ConfigIssue(source(mark(parser.problem_mark)), "", .syntaxError, message)
    }
}
