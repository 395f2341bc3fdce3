import Foundation

/// One complete HTTP request (head and body) as parsed from the wire.
public struct HTTPRequest: Sendable {
    /// The method.
    public var method: HTTPMethod
    /// The request target as sent (path and query, percent-encoded).
    public var target: String
    /// The path part of the target (before `?`), still percent-encoded.
    public var path: Substring {
        guard let q = target.utf8.firstIndex(of: 0x3F) else { return target[...] }
        return target[..<q]
    }
    /// The raw query string (after `?`), if any.
    public var queryString: Substring? {
        guard let q = target.utf8.firstIndex(of: 0x3F) else { return nil }
        return target[target.utf8.index(after: q)...]
    }
    /// `HTTP/1.1` → (1, 1).
    public var version: (major: Int, minor: Int)
    /// Header fields.
    public var headers: HTTPHeaders
    /// The body (de-chunked), empty when none.
    public var body: [UInt8]
    /// Whether the connection stays open after the response (from version and `Connection`).
    public var keepAlive: Bool

    /// Makes a request (used by tests and by the parser).
    public init(method: HTTPMethod, target: String, version: (major: Int, minor: Int) = (1, 1),
                headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = [], keepAlive: Bool = true) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = keepAlive
    }

    /// The query parameters, percent-decoded (`+` as space); the last value of a
    /// repeated name wins.
    public var query: [String: String] { QueryString.parse(queryString ?? "") }

    /// The body decoded as JSON into `T`.
    public func decodeJSON<T: Decodable>(_ type: T.Type = T.self) throws(HTTPError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: Data(body))
        } catch {
            throw HTTPError(status: 400, code: "invalid_json", message: "request body is not valid JSON for this endpoint")
        }
    }
}

/// Query-string parsing (`a=1&b=x%20y`).
public enum QueryString {
    /// Parses `query` into a dictionary of percent-decoded names and values.
    public static func parse<S: StringProtocol>(_ query: S) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = percentDecode(parts[0], plusAsSpace: true)
            let value = parts.count > 1 ? percentDecode(parts[1], plusAsSpace: true) : ""
            result[name] = value
        }
        return result
    }

    /// Decodes `%XX` escapes (invalid escapes are kept verbatim).
    public static func percentDecode<S: StringProtocol>(_ text: S, plusAsSpace: Bool = false) -> String {
        let utf8 = Array(text.utf8)
        if !utf8.contains(0x25) && !(plusAsSpace && utf8.contains(0x2B)) { return String(text) }
        var out: [UInt8] = []
        out.reserveCapacity(utf8.count)
        var i = 0
        while i < utf8.count {
            let byte = utf8[i]
            if byte == 0x25, i + 2 < utf8.count, let hi = hexValue(utf8[i + 1]), let lo = hexValue(utf8[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
            } else {
                out.append(plusAsSpace && byte == 0x2B ? 0x20 : byte)
                i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
