import Glibc

/// What the parser produced from the bytes fed so far.
public enum HTTPParserEvent: Sendable {
    /// The head asked for `Expect: 100-continue` and the body has not arrived yet:
    /// the server should answer `100 Continue` (or a final error) now.
    case expectContinue
    /// A complete request (head and de-chunked body).
    case request(HTTPRequest)
    /// The input is not acceptable; the connection should answer the error and close.
    case error(HTTPParseError)
}

/// Size limits enforced while parsing.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Longest request line (method, target and version) → 414 beyond.
    public var maxRequestLineBytes: Int = 8 * 1024
    /// Largest header section in bytes → 431 beyond.
    public var maxHeaderBytes: Int = 32 * 1024
    /// Most header fields → 431 beyond.
    public var maxHeaderCount: Int = 100
    /// Largest body → 413 beyond.
    public var maxBodyBytes: Int = 1024 * 1024
    /// Longest chunk-size line → 400 beyond.
    public var maxChunkLineBytes: Int = 1024

    /// Default limits (8 KiB, 32 KiB / 100 fields, 1 MiB).
    public init() {}
}

/// An incremental HTTP/1.1 request parser: a value-type state machine with no I/O.
///
/// Feed it bytes as they arrive (split anywhere) and call ``next()`` until it returns
/// `nil` (more bytes needed). Requests come out in order, so a connection that handles
/// one request at a time answers pipelined requests in order. After an `.error` the
/// parser stays failed.
public struct HTTPRequestParser: Sendable {
    /// The limits in force.
    public var limits: HTTPParserLimits

    private var buffer: [UInt8] = []
    private var start = 0
    private var scan = 0
    private var state = State.requestLine

    private var method = HTTPMethod.get
    private var target = ""
    private var version = (major: 1, minor: 1)
    private var headers = HTTPHeaders()
    private var headerBytes = 0
    private var body: [UInt8] = []
    private var remaining = 0
    private var keepAlive = true

    private enum State: Equatable {
        case requestLine, headers, body, chunkSize, chunkData, chunkDataEnd, trailers, failed
    }

    /// A parser with `limits`.
    public init(limits: HTTPParserLimits = HTTPParserLimits()) {
        self.limits = limits
    }

    /// Bytes received but not yet consumed by a complete request.
    public var bufferedByteCount: Int { buffer.count - start }

    /// True between requests with nothing buffered (the connection is idle).
    public var isIdle: Bool { state == .requestLine && start == buffer.count }

    /// True while the body of a request is being received.
    public var isReadingBody: Bool {
        switch state {
        case .body, .chunkSize, .chunkData, .chunkDataEnd, .trailers: return true
        default: return false
        }
    }

    /// True once an error has been reported.
    public var hasFailed: Bool { state == .failed }

    /// Appends received bytes.
    public mutating func feed(_ bytes: UnsafeRawBufferPointer) {
        guard state != .failed else { return }
        buffer.append(contentsOf: bytes.bindMemory(to: UInt8.self))
    }

    /// Appends received bytes.
    public mutating func feed<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        guard state != .failed else { return }
        buffer.append(contentsOf: bytes)
    }

    /// Takes the bytes buffered after the last complete request (used when a
    /// connection switches protocol, e.g. to WebSocket) and empties the parser.
    public mutating func takeRemainingBytes() -> [UInt8] {
        let rest = Array(buffer[start...])
        buffer.removeAll()
        start = 0
        scan = 0
        return rest
    }

    /// The next event, or `nil` when more bytes are needed.
    public mutating func next() -> HTTPParserEvent? {
        while true {
            switch state {
            case .failed:
                return nil
            case .requestLine:
                while start < buffer.count && (buffer[start] == 0x0D || buffer[start] == 0x0A) { start += 1 }
                if start == buffer.count {
                    compact()
                    return nil
                }
                guard let lf = findLF() else {
                    if buffer.count - start > limits.maxRequestLineBytes { return fail(.requestLineTooLong) }
                    return nil
                }
                if lf - start > limits.maxRequestLineBytes + 1 { return fail(.requestLineTooLong) }
                guard buffer[lf - 1] == 0x0D else { return fail(.malformed("line not terminated by CRLF")) }
                if let error = parseRequestLine(start, lf - 1) { return fail(error) }
                consume(to: lf + 1)
                headers = HTTPHeaders()
                headerBytes = 0
                state = .headers
            case .headers:
                let end: Int
                switch nextFieldLine() {
                case .incomplete: return nil
                case .invalid(let error): return fail(error)
                case .complete(let cr): end = cr
                }
                if end == start {
                    consume(to: end + 2)
                    if let event = finishHead() { return event }
                    continue
                }
                if headers.count >= limits.maxHeaderCount { return fail(.headersTooLarge) }
                if let error = parseHeaderLine(start, end) { return fail(error) }
                consume(to: end + 2)
            case .body:
                takeBodyBytes()
                if remaining == 0 { return complete() }
                compact()
                return nil
            case .chunkSize:
                guard let lf = findLF() else {
                    if buffer.count - start > limits.maxChunkLineBytes { return fail(.malformed("chunk size line too long")) }
                    return nil
                }
                guard lf > start, buffer[lf - 1] == 0x0D else { return fail(.malformed("chunk size line not terminated by CRLF")) }
                var size = 0
                var digits = 0
                var index = start
                while index < lf - 1 {
                    let byte = buffer[index]
                    guard let value = QueryString.hexValue(byte) else { break }
                    digits += 1
                    if digits > 15 { return fail(.bodyTooLarge) }
                    size = size << 4 | Int(value)
                    index += 1
                }
                guard digits > 0 else { return fail(.malformed("invalid chunk size")) }
                if index < lf - 1 {
                    var rest = index
                    while rest < lf - 1 && (buffer[rest] == 0x20 || buffer[rest] == 0x09) { rest += 1 }
                    guard rest == lf - 1 || buffer[rest] == 0x3B else { return fail(.malformed("invalid chunk size")) }
                }
                consume(to: lf + 1)
                if size == 0 {
                    state = .trailers
                } else {
                    if body.count + size > limits.maxBodyBytes { return fail(.bodyTooLarge) }
                    remaining = size
                    state = .chunkData
                }
            case .chunkData:
                takeBodyBytes()
                if remaining > 0 {
                    compact()
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                if buffer.count - start < 2 { return nil }
                guard buffer[start] == 0x0D && buffer[start + 1] == 0x0A else { return fail(.malformed("chunk data not followed by CRLF")) }
                consume(to: start + 2)
                state = .chunkSize
            case .trailers:
                let end: Int
                switch nextFieldLine() {
                case .incomplete: return nil
                case .invalid(let error): return fail(error)
                case .complete(let cr): end = cr
                }
                if end == start {
                    consume(to: end + 2)
                    return complete()
                }
                guard buffer[start..<end].contains(0x3A) else { return fail(.malformed("invalid trailer field")) }
                consume(to: end + 2)
            }
        }
    }

    // MARK: Pieces

    private mutating func fail(_ error: HTTPParseError) -> HTTPParserEvent {
        state = .failed
        buffer = []
        start = 0
        scan = 0
        body = []
        return .error(error)
    }

    /// How looking for the next header or trailer line went.
    private enum FieldLine {
        /// More bytes are needed.
        case incomplete
        /// A CRLF-terminated line whose CR is at `cr`, counted against the header limit.
        case complete(cr: Int)
        case invalid(HTTPParseError)
    }

    /// The next header or trailer line, counted against ``HTTPParserLimits/maxHeaderBytes``.
    private mutating func nextFieldLine() -> FieldLine {
        guard let lf = findLF() else {
            if headerBytes + (buffer.count - start) > limits.maxHeaderBytes { return .invalid(.headersTooLarge) }
            return .incomplete
        }
        headerBytes += lf - start + 1
        if headerBytes > limits.maxHeaderBytes { return .invalid(.headersTooLarge) }
        guard lf > start, buffer[lf - 1] == 0x0D else { return .invalid(.malformed("line not terminated by CRLF")) }
        return .complete(cr: lf - 1)
    }

    /// Moves up to `remaining` buffered bytes into the body.
    private mutating func takeBodyBytes() {
        let take = min(remaining, buffer.count - start)
        guard take > 0 else { return }
        body.append(contentsOf: buffer[start..<(start + take)])
        start += take
        remaining -= take
    }

    private mutating func consume(to index: Int) {
        start = index
        scan = index
    }

    private mutating func compact() {
        if start == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
            start = 0
            scan = 0
        } else if start > 16 * 1024 && start * 2 > buffer.count {
            buffer.removeSubrange(0..<start)
            scan -= start
            start = 0
        }
    }

    /// Index of the next `\n` at or after the scan position, remembering how far it
    /// looked so bytes are scanned once.
    private mutating func findLF() -> Int? {
        let from = max(scan, start)
        let count = buffer.count
        guard from < count else { return nil }
        let found: Int? = buffer.withUnsafeBufferPointer { raw -> Int? in
            guard let base = raw.baseAddress,
                  let hit = memchr(base + from, 0x0A, count - from) else { return nil }
            return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
        }
        scan = found ?? count
        return found
    }

    private mutating func parseRequestLine(_ lineStart: Int, _ lineEnd: Int) -> HTTPParseError? {
        buffer.withUnsafeBufferPointer { raw -> HTTPParseError? in
            var sp1 = lineStart
            while sp1 < lineEnd && raw[sp1] != 0x20 { sp1 += 1 }
            guard sp1 < lineEnd, sp1 > lineStart else { return .malformed("invalid request line") }
            var sp2 = sp1 + 1
            while sp2 < lineEnd && raw[sp2] != 0x20 { sp2 += 1 }
            guard sp2 < lineEnd, sp2 > sp1 + 1 else { return .malformed("invalid request line") }
            // Version: exactly HTTP/d.d
            let v = sp2 + 1
            guard lineEnd - v == 8, raw[v] == 0x48, raw[v + 1] == 0x54, raw[v + 2] == 0x54, raw[v + 3] == 0x50,
                  raw[v + 4] == 0x2F, raw[v + 6] == 0x2E,
                  raw[v + 5] >= 0x30, raw[v + 5] <= 0x39, raw[v + 7] >= 0x30, raw[v + 7] <= 0x39 else {
                return .malformed("invalid HTTP version")
            }
            let major = Int(raw[v + 5] - 0x30), minor = Int(raw[v + 7] - 0x30)
            guard major == 1 && (minor == 0 || minor == 1) else { return .unsupportedVersion }
            for i in lineStart..<sp1 where !isTokenByte(raw[i]) { return .malformed("invalid method token") }
            guard let parsed = HTTPMethod.parse(UnsafeBufferPointer(rebasing: raw[lineStart..<sp1])) else {
                return .unsupportedMethod
            }
            for i in (sp1 + 1)..<sp2 where raw[i] < 0x21 || raw[i] > 0x7E { return .malformed("invalid character in request target") }
            var targetStart = sp1 + 1
            let first = raw[targetStart]
            if first == 0x2F {
                // origin-form
            } else if first == 0x2A && sp2 - targetStart == 1 && parsed == .options {
                // asterisk-form
            } else {
                // absolute-form: scheme://authority/path
                let text = String(decoding: UnsafeBufferPointer(rebasing: raw[targetStart..<sp2]), as: UTF8.self).lowercased()
                guard text.hasPrefix("http://") || text.hasPrefix("https://") else { return .malformed("invalid request target") }
                var i = targetStart + (text.hasPrefix("http://") ? 7 : 8)
                while i < sp2 && raw[i] != 0x2F && raw[i] != 0x3F { i += 1 }
                targetStart = i
            }
            method = parsed
            if targetStart == sp2 {
                target = "/"
            } else if raw[targetStart] == 0x3F {
                target = "/" + String(decoding: UnsafeBufferPointer(rebasing: raw[targetStart..<sp2]), as: UTF8.self)
            } else {
                target = String(decoding: UnsafeBufferPointer(rebasing: raw[targetStart..<sp2]), as: UTF8.self)
            }
            version = (major, minor)
            return nil
        }
    }

    private mutating func parseHeaderLine(_ lineStart: Int, _ lineEnd: Int) -> HTTPParseError? {
        let parsed: (String, String)? = buffer.withUnsafeBufferPointer { raw -> (String, String)? in
            var colon = lineStart
            while colon < lineEnd && raw[colon] != 0x3A {
                if !isTokenByte(raw[colon]) { return nil }
                colon += 1
            }
            guard colon < lineEnd, colon > lineStart else { return nil }
            var valueStart = colon + 1
            var valueEnd = lineEnd
            while valueStart < valueEnd && (raw[valueStart] == 0x20 || raw[valueStart] == 0x09) { valueStart += 1 }
            while valueEnd > valueStart && (raw[valueEnd - 1] == 0x20 || raw[valueEnd - 1] == 0x09) { valueEnd -= 1 }
            for i in valueStart..<valueEnd {
                let byte = raw[i]
                if (byte < 0x20 && byte != 0x09) || byte == 0x7F { return nil }
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: raw[lineStart..<colon]), as: UTF8.self)
            let value = String(decoding: UnsafeBufferPointer(rebasing: raw[valueStart..<valueEnd]), as: UTF8.self)
            return (name, value)
        }
        guard let (name, value) = parsed else { return .malformed("invalid header field") }
        headers.add(name, value)
        return nil
    }

    /// Decides framing after the blank line; returns an event when one is due now.
    private mutating func finishHead() -> HTTPParserEvent? {
        var chunked = false
        var contentLength: Int?
        var hasHost = false
        var wantsContinue = false
        var connectionClose = false
        var connectionKeepAlive = false
        for field in headers.fields {
            let name = field.name
            switch name.utf8.count {
            case 4 where HTTPHeaders.equalsIgnoringCase(name, "Host"):
                if hasHost { return fail(.malformed("more than one Host header")) }
                hasHost = true
            case 6 where HTTPHeaders.equalsIgnoringCase(name, "Expect"):
                guard HTTPHeaders.equalsIgnoringCase(field.value, "100-continue") else { return fail(.unsupportedExpectation) }
                wantsContinue = true
            case 10 where HTTPHeaders.equalsIgnoringCase(name, "Connection"):
                for token in field.value.split(separator: ",") {
                    let t = token.trimmingASCIISpaces()
                    if HTTPHeaders.equalsIgnoringCase(t, "close") { connectionClose = true }
                    if HTTPHeaders.equalsIgnoringCase(t, "keep-alive") { connectionKeepAlive = true }
                }
            case 14 where HTTPHeaders.equalsIgnoringCase(name, "Content-Length"):
                guard let value = parseContentLength(field.value) else { return fail(.malformed("invalid Content-Length")) }
                if let existing = contentLength, existing != value { return fail(.malformed("conflicting Content-Length headers")) }
                contentLength = value
            case 17 where HTTPHeaders.equalsIgnoringCase(name, "Transfer-Encoding"):
                guard HTTPHeaders.equalsIgnoringCase(field.value.trimmingASCIISpaces(), "chunked"), !chunked else {
                    return fail(.unsupportedTransferEncoding)
                }
                chunked = true
            default:
                break
            }
        }
        if chunked && contentLength != nil { return fail(.malformed("both Content-Length and Transfer-Encoding")) }
        keepAlive = version.minor >= 1 ? !connectionClose : (connectionKeepAlive && !connectionClose)
        body = []
        if chunked {
            state = .chunkSize
            return wantsContinue && version.minor >= 1 ? .expectContinue : nil
        }
        if let length = contentLength, length > 0 {
            if length > limits.maxBodyBytes { return fail(.bodyTooLarge) }
            remaining = length
            body.reserveCapacity(length)
            state = .body
            return wantsContinue && version.minor >= 1 ? .expectContinue : nil
        }
        return complete()
    }

    private mutating func complete() -> HTTPParserEvent {
        let request = HTTPRequest(method: method, target: target, version: version,
                                  headers: headers, body: body, keepAlive: keepAlive)
        headers = HTTPHeaders()
        body = []
        remaining = 0
        state = .requestLine
        compact()
        return .request(request)
    }

    private func parseContentLength(_ value: String) -> Int? {
        var result = 0
        var digits = 0
        for byte in value.utf8 {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            digits += 1
            if digits > 15 { return Int.max }
            result = result * 10 + Int(byte - 0x30)
        }
        return digits > 0 ? result : nil
    }
}

/// RFC 9110 `tchar`.
@inline(__always)
func isTokenByte(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
    case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: return true
    default: return false
    }
}
