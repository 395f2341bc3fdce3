import COpenSSL

/// The server side of the WebSocket opening handshake (RFC 6455 §4.2), with no I/O.
///
/// Given the request's method, HTTP version and header fields, `validate` either accepts
/// (returning the `101 Switching Protocols` header fields to send) or refuses with the
/// status and header fields of the error response:
///
/// - method not `GET`, HTTP older than 1.1, `Upgrade` without the `websocket` token,
///   `Connection` without the `upgrade` token, or a `Sec-WebSocket-Key` that is not the
///   base64 encoding of exactly 16 bytes → **400**;
/// - `Sec-WebSocket-Version` missing or not exactly `13` → **426** with
///   `Sec-WebSocket-Version: 13`.
///
/// No subprotocol or extension is negotiated (no permessage-deflate): the response never
/// carries `Sec-WebSocket-Protocol` or `Sec-WebSocket-Extensions`. Header names are matched
/// case-insensitively; `Upgrade` and `Connection` are comma-separated token lists, matched
/// case-insensitively across repeated fields.
public enum WebSocketHandshake {
    /// The GUID appended to the key before hashing (RFC 6455 §1.3).
    public static let magicGUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

    /// The only protocol version supported.
    public static let supportedVersion = "13"

    /// An accepted handshake: the `101 Switching Protocols` response to send.
    public struct Accepted: Sendable {
        /// The status code to send: 101.
        public let status: Int = 101
        /// `Upgrade: websocket`, `Connection: Upgrade`, `Sec-WebSocket-Accept: …`.
        public let headers: [(name: String, value: String)]
        /// The computed `Sec-WebSocket-Accept` value.
        public let acceptValue: String
    }

    /// A refused handshake, with a stable code, the HTTP status and extra response headers.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        /// The specific reason.
        public enum Reason: String, Sendable, Hashable, CaseIterable {
            /// The method is not GET. 400.
            case methodNotGET = "ws_method_not_get"
            /// HTTP/1.0 or older. 400.
            case httpVersionTooOld = "ws_http_version"
            /// No `Upgrade: websocket`. 400.
            case missingUpgrade = "ws_missing_upgrade"
            /// `Connection` lacks the `upgrade` token. 400.
            case missingConnectionUpgrade = "ws_missing_connection_upgrade"
            /// `Sec-WebSocket-Key` missing, repeated, or not base64 of 16 bytes. 400.
            case invalidKey = "ws_invalid_key"
            /// `Sec-WebSocket-Version` missing or not 13. 426.
            case unsupportedVersion = "ws_unsupported_version"
        }

        /// The specific reason.
        public let reason: Reason

        /// Creates a refusal.
        public init(_ reason: Reason) { self.reason = reason }

        /// The stable string code, e.g. `"ws_invalid_key"`.
        public var code: String { reason.rawValue }

        /// The HTTP status to answer with: 426 for a version mismatch, else 400.
        public var status: Int { reason == .unsupportedVersion ? 426 : 400 }

        /// Header fields the error response must carry (426 → `Sec-WebSocket-Version: 13`).
        public var headers: [(name: String, value: String)] {
            reason == .unsupportedVersion ? [("Sec-WebSocket-Version", supportedVersion)] : []
        }

        /// A short human-readable explanation for the error body.
        public var message: String {
            switch reason {
            case .methodNotGET: return "WebSocket upgrade requires GET"
            case .httpVersionTooOld: return "WebSocket upgrade requires HTTP/1.1 or later"
            case .missingUpgrade: return "missing Upgrade: websocket"
            case .missingConnectionUpgrade: return "missing Connection: Upgrade"
            case .invalidKey: return "Sec-WebSocket-Key must be base64 of 16 bytes"
            case .unsupportedVersion: return "unsupported Sec-WebSocket-Version (13 required)"
            }
        }

        /// `"<code>: <message>"`.
        public var description: String { "\(code): \(message)" }
    }

    /// Whether the request asks for a WebSocket upgrade at all (an `Upgrade` field with the
    /// `websocket` token) — use it to decide between the handshake and normal routing.
    public static func isUpgradeRequest(headers: [(name: String, value: String)]) -> Bool {
        headers.contains { equalsIgnoringCase($0.name, "upgrade") && containsToken($0.value, "websocket") }
    }

    /// Validates an upgrade request and builds the response.
    ///
    /// - Parameters:
    ///   - method: the request method, e.g. `"GET"` (case-sensitive, as HTTP methods are).
    ///   - httpVersion: the request's HTTP version, e.g. `(1, 1)`.
    ///   - headers: the request header fields, in order (repeats allowed).
    public static func validate(method: String, httpVersion: (major: Int, minor: Int),
                                headers: [(name: String, value: String)]) -> Result<Accepted, Refusal> {
        guard method == "GET" else { return .failure(Refusal(.methodNotGET)) }
        guard httpVersion.major > 1 || (httpVersion.major == 1 && httpVersion.minor >= 1) else {
            return .failure(Refusal(.httpVersionTooOld))
        }
        var upgrade = false
        var connectionUpgrade = false
        var versions: [String] = []
        var keys: [String] = []
        for field in headers {
            let name = field.name
            if equalsIgnoringCase(name, "upgrade") {
                if containsToken(field.value, "websocket") { upgrade = true }
            } else if equalsIgnoringCase(name, "connection") {
                if containsToken(field.value, "upgrade") { connectionUpgrade = true }
            } else if equalsIgnoringCase(name, "sec-websocket-version") {
                versions.append(trimmed(field.value))
            } else if equalsIgnoringCase(name, "sec-websocket-key") {
                keys.append(trimmed(field.value))
            }
        }
        guard upgrade else { return .failure(Refusal(.missingUpgrade)) }
        guard connectionUpgrade else { return .failure(Refusal(.missingConnectionUpgrade)) }
        guard versions.count == 1, versions[0] == supportedVersion else {
            return .failure(Refusal(.unsupportedVersion))
        }
        guard keys.count == 1, isValidKey(keys[0]) else { return .failure(Refusal(.invalidKey)) }
        let accept = acceptValue(forKey: keys[0])
        return .success(Accepted(headers: [
            ("Upgrade", "websocket"),
            ("Connection", "Upgrade"),
            ("Sec-WebSocket-Accept", accept),
        ], acceptValue: accept))
    }

    /// `base64(SHA-1(key + magicGUID))` — the `Sec-WebSocket-Accept` value for a key.
    public static func acceptValue(forKey key: String) -> String {
        var input = Array(key.utf8)
        input.append(contentsOf: magicGUID.utf8)
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var digestLength: UInt32 = 0
        let ok = input.withUnsafeBytes { raw in
            digest.withUnsafeMutableBufferPointer { out in
                EVP_Digest(raw.baseAddress, raw.count, out.baseAddress, &digestLength, felt_EVP_sha1(), nil)
            }
        }
        // EVP_Digest with SHA-1 fails only on memory exhaustion; then the empty accept value
        // makes the client reject the handshake instead of this process trapping.
        let sha1 = ok == 1 && digestLength == 20 ? Array(digest.prefix(20)) : []
        return WebSocketBase64.encode(sha1)
    }

    /// Whether `key` is the base64 encoding of exactly 16 bytes (24 characters ending `==`).
    public static func isValidKey(_ key: String) -> Bool {
        guard let decoded = WebSocketBase64.decode(key) else { return false }
        return decoded.count == 16
    }

    // MARK: Helpers

    static func trimmed(_ value: String) -> String {
        var scalars = Substring(value)
        while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
        while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
        return String(scalars)
    }

    /// ASCII case-insensitive comparison (header names and tokens are ASCII).
    static func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
        let x = a.utf8, y = b.utf8
        guard x.count == y.count else { return false }
        for (p, q) in zip(x, y) where lowercased(p) != lowercased(q) { return false }
        return true
    }

    @inline(__always)
    static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }

    /// Whether the comma-separated list `value` contains `token` (case-insensitive).
    static func containsToken(_ value: String, _ token: String) -> Bool {
        value.split(separator: ",").contains { equalsIgnoringCase(trimmed(String($0)), token) }
    }
}
