import Foundation

/// A response: status, headers and body. `Date`, `Content-Length`, `Connection` and
/// `X-Request-Id` are added by the server when written.
public struct HTTPResponse: Sendable {
    /// Status code.
    public var status: Int
    /// Header fields set by the handler.
    public var headers: HTTPHeaders
    /// Body bytes (omitted on the wire for HEAD, 1xx, 204 and 304).
    public var body: [UInt8]

    /// Makes a response.
    public init(status: Int = 200, headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A plain-text response.
    public static func text(_ text: String, status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: Array(text.utf8))
    }

    /// A JSON response from pre-encoded bytes.
    public static func json(bytes: [UInt8], status: Int = 200) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json"], body: bytes)
    }

    /// A JSON response encoding `value`; an encoding failure becomes a 500 error response.
    public static func json<T: Encodable>(_ value: T, status: Int = 200) -> HTTPResponse {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else {
            return .error(status: 500, code: "encoding_failed", message: "response could not be encoded")
        }
        return .json(bytes: Array(data), status: status)
    }

    /// The uniform error body `{"error": "...", "code": "..."}`.
    public static func error(status: Int, code: String, message: String) -> HTTPResponse {
        .json(bytes: Array(("{\"error\":" + jsonQuoted(message) + ",\"code\":" + jsonQuoted(code) + "}").utf8), status: status)
    }

    /// A response with no body.
    public static func empty(status: Int = 204) -> HTTPResponse { HTTPResponse(status: status) }

    /// `text` as a JSON string literal.
    static func jsonQuoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// The reason phrase for `status`.
    static func reason(_ status: Int) -> String {
        switch status {
        case 100: return "Continue"
        case 101: return "Switching Protocols"
        case 200: return "OK"
        case 201: return "Created"
        case 202: return "Accepted"
        case 204: return "No Content"
        case 301: return "Moved Permanently"
        case 302: return "Found"
        case 304: return "Not Modified"
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 405: return "Method Not Allowed"
        case 408: return "Request Timeout"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 411: return "Length Required"
        case 413: return "Content Too Large"
        case 414: return "URI Too Long"
        case 415: return "Unsupported Media Type"
        case 417: return "Expectation Failed"
        case 422: return "Unprocessable Content"
        case 426: return "Upgrade Required"
        case 429: return "Too Many Requests"
        case 431: return "Request Header Fields Too Large"
        case 500: return "Internal Server Error"
        case 501: return "Not Implemented"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 505: return "HTTP Version Not Supported"
        default: return "Status \(status)"
        }
    }
}

extension HTTPResponse {
    /// Serialises the response head and body into `out`.
    ///
    /// - Parameters:
    ///   - date: the cached `Date` value bytes.
    ///   - requestID: value for `X-Request-Id`.
    ///   - close: adds `Connection: close`.
    ///   - includeBody: false for HEAD (Content-Length still describes the body).
    func serialize(into out: inout [UInt8], date: [UInt8], requestID: String, close: Bool, includeBody: Bool) {
        out.reserveCapacity(out.count + 160 + body.count)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        appendDecimal(status, to: &out)
        out.append(0x20)
        out.append(contentsOf: HTTPResponse.reason(status).utf8)
        out.append(contentsOf: "\r\nDate: ".utf8)
        out.append(contentsOf: date)
        let bodyless = status < 200 || status == 204 || status == 304
        if !bodyless {
            out.append(contentsOf: "\r\nContent-Length: ".utf8)
            appendDecimal(body.count, to: &out)
        }
        if !requestID.isEmpty {
            out.append(contentsOf: "\r\nX-Request-Id: ".utf8)
            out.append(contentsOf: requestID.utf8)
        }
        for field in headers.fields {
            if HTTPHeaders.equalsIgnoringCase(field.name, "Content-Length")
                || HTTPHeaders.equalsIgnoringCase(field.name, "Date")
                || (HTTPHeaders.equalsIgnoringCase(field.name, "Connection") && (close || field.value != "keep-alive"))
                || HTTPHeaders.equalsIgnoringCase(field.name, "X-Request-Id") { continue }
            out.append(contentsOf: "\r\n".utf8)
            out.append(contentsOf: field.name.utf8)
            out.append(contentsOf: ": ".utf8)
            out.append(contentsOf: field.value.utf8)
        }
        if close { out.append(contentsOf: "\r\nConnection: close".utf8) }
        out.append(contentsOf: "\r\n\r\n".utf8)
        if includeBody && !bodyless { out.append(contentsOf: body) }
    }
}

/// Appends the decimal digits of a non-negative integer.
@inline(__always)
func appendDecimal(_ value: Int, to out: inout [UInt8]) {
    if value < 10 {
        out.append(UInt8(0x30 + value))
        return
    }
    var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                 UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
        (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
    var n = value
    var count = 0
    withUnsafeMutableBytes(of: &digits) { raw in
        while n > 0 {
            raw[count] = UInt8(0x30 + n % 10)
            n /= 10
            count += 1
        }
        for i in stride(from: count - 1, through: 0, by: -1) { out.append(raw[i]) }
    }
}
