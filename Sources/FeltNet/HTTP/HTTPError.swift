/// An HTTP failure answered as `{"error": "<message>", "code": "<code>"}` with `status`.
public struct HTTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Status code to answer with.
    public var status: Int
    /// Stable snake_case code.
    public var code: String
    /// Human-readable sentence.
    public var message: String
    /// Extra headers for the error response (e.g. `Allow`).
    public var headers: [String: String]

    /// Makes an error.
    public init(status: Int, code: String, message: String, headers: [String: String] = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status) \(code): \(message)" }

    /// The error as a response.
    public var response: HTTPResponse {
        var response = HTTPResponse.error(status: status, code: code, message: message)
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { response.headers.replace(name, value) }
        return response
    }
}

/// Why the request parser rejected input; each maps to one status and code.
public enum HTTPParseError: Error, Sendable, Equatable {
    /// Request line over the limit → 414.
    case requestLineTooLong
    /// Header section over the byte or field limit → 431.
    case headersTooLarge
    /// Body over the limit → 413.
    case bodyTooLarge
    /// Syntax error → 400.
    case malformed(String)
    /// Method token not supported → 501.
    case unsupportedMethod
    /// Transfer coding other than chunked → 501.
    case unsupportedTransferEncoding
    /// HTTP version other than 1.0/1.1 → 505.
    case unsupportedVersion
    /// `Expect` other than `100-continue` → 417.
    case unsupportedExpectation

    /// The error as an HTTP error.
    public var httpError: HTTPError {
        switch self {
        case .requestLineTooLong:
            return HTTPError(status: 414, code: "uri_too_long", message: "request line is longer than the limit")
        case .headersTooLarge:
            return HTTPError(status: 431, code: "headers_too_large", message: "request header fields are too large or too many")
        case .bodyTooLarge:
            return HTTPError(status: 413, code: "body_too_large", message: "request body is larger than the limit")
        case .malformed(let why):
            return HTTPError(status: 400, code: "bad_request", message: "malformed request: \(why)")
        case .unsupportedMethod:
            return HTTPError(status: 501, code: "method_not_implemented", message: "request method is not supported")
        case .unsupportedTransferEncoding:
            return HTTPError(status: 501, code: "transfer_encoding_not_implemented", message: "only the chunked transfer coding is supported")
        case .unsupportedVersion:
            return HTTPError(status: 505, code: "http_version_not_supported", message: "only HTTP/1.0 and HTTP/1.1 are supported")
        case .unsupportedExpectation:
            return HTTPError(status: 417, code: "expectation_failed", message: "only Expect: 100-continue is supported")
        }
    }
}
