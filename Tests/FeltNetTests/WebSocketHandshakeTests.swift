import Testing
@testable import FeltNet

@Suite struct WebSocketHandshakeTests {
    static let key = "dGhlIHNhbXBsZSBub25jZQ=="

    static func headers(upgrade: String? = "websocket", connection: String? = "Upgrade",
                        version: String? = "13", key: String? = WebSocketHandshakeTests.key) -> [(name: String, value: String)] {
        var fields: [(name: String, value: String)] = [("Host", "club.example")]
        if let upgrade { fields.append(("Upgrade", upgrade)) }
        if let connection { fields.append(("Connection", connection)) }
        if let version { fields.append(("Sec-WebSocket-Version", version)) }
        if let key { fields.append(("Sec-WebSocket-Key", key)) }
        return fields
    }

    static func refusal(_ result: Result<WebSocketHandshake.Accepted, WebSocketHandshake.Refusal>) -> WebSocketHandshake.Refusal? {
        if case .failure(let refusal) = result { return refusal }
        return nil
    }

    /// RFC 6455 §1.3: key "dGhlIHNhbXBsZSBub25jZQ==" → "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=".
    @Test func acceptValueMatchesRFC6455Example() {
        #expect(WebSocketHandshake.acceptValue(forKey: Self.key) == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    }

    @Test func acceptValueMatchesSecondKnownVector() {
        // Expected value computed independently with
        // `printf '%s' "x3JJHMbDL1EzLkh9GBhXDw==258EAFA5-E914-47DA-95CA-C5AB0DC85B11" | openssl sha1 -binary | base64`.
        #expect(WebSocketHandshake.acceptValue(forKey: "x3JJHMbDL1EzLkh9GBhXDw==") == "HSmrc0sMlYUkAGmm5OPpG2HaGWk=")
    }

    @Test func validRequestIsAcceptedWith101Headers() throws {
        let result = WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1), headers: Self.headers())
        let accepted = try result.get()
        #expect(accepted.status == 101)
        #expect(accepted.acceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        let names = accepted.headers.map { $0.name }
        #expect(names == ["Upgrade", "Connection", "Sec-WebSocket-Accept"])
        #expect(accepted.headers.map { $0.value } == ["websocket", "Upgrade", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="])
        #expect(!names.contains("Sec-WebSocket-Extensions"))
        #expect(!names.contains("Sec-WebSocket-Protocol"))
    }

    @Test func headerNamesAndTokensAreCaseInsensitiveAndListsAreParsed() throws {
        let fields: [(name: String, value: String)] = [
            ("upgrade", "WebSocket"),
            ("connection", "keep-alive, UPGRADE"),
            ("sec-websocket-version", " 13 "),
            ("SEC-WEBSOCKET-KEY", " \(Self.key)\t"),
            ("Sec-WebSocket-Extensions", "permessage-deflate"),
        ]
        let accepted = try WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1), headers: fields).get()
        #expect(accepted.acceptValue == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(!accepted.headers.contains { $0.name == "Sec-WebSocket-Extensions" })
    }

    @Test func connectionTokenMayComeFromARepeatedField() throws {
        var fields = Self.headers(connection: "keep-alive")
        fields.append(("Connection", "Upgrade"))
        _ = try WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1), headers: fields).get()
    }

    @Test func http2VersionNumberIsAccepted() throws {
        _ = try WebSocketHandshake.validate(method: "GET", httpVersion: (2, 0), headers: Self.headers()).get()
    }

    @Test(arguments: ["POST", "get", "HEAD", "PUT"])
    func nonGETMethodIsRefusedWith400(method: String) {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: method, httpVersion: (1, 1), headers: Self.headers()))
        #expect(refusal?.reason == .methodNotGET)
        #expect(refusal?.status == 400)
        #expect(refusal?.code == "ws_method_not_get")
    }

    @Test func http10IsRefusedWith400() {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 0), headers: Self.headers()))
        #expect(refusal?.reason == .httpVersionTooOld)
        #expect(refusal?.status == 400)
    }

    @Test(arguments: [nil, "h2c", "websocketx", ""] as [String?])
    func missingOrWrongUpgradeIsRefusedWith400(upgrade: String?) {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1),
                                                               headers: Self.headers(upgrade: upgrade)))
        #expect(refusal?.reason == .missingUpgrade)
        #expect(refusal?.status == 400)
        #expect(refusal?.headers.isEmpty == true)
    }

    @Test(arguments: [nil, "keep-alive", "upgrades", "close"] as [String?])
    func connectionWithoutUpgradeTokenIsRefusedWith400(connection: String?) {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1),
                                                               headers: Self.headers(connection: connection)))
        #expect(refusal?.reason == .missingConnectionUpgrade)
        #expect(refusal?.status == 400)
    }

    @Test(arguments: [nil, "8", "12", "14", "13, 8", "", "013"] as [String?])
    func unsupportedVersionIsRefusedWith426AndAdvertises13(version: String?) {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1),
                                                               headers: Self.headers(version: version)))
        #expect(refusal?.reason == .unsupportedVersion)
        #expect(refusal?.status == 426)
        #expect(refusal?.headers.count == 1)
        #expect(refusal?.headers.first?.name == "Sec-WebSocket-Version")
        #expect(refusal?.headers.first?.value == "13")
    }

    @Test(arguments: [
        nil,
        "",
        "dGhlIHNhbXBsZSBub25jZQ",       // no padding
        "dGhlIHNhbXBsZSBub25jZQ=",      // wrong padding
        "dGhlIHNhbXBsZSBub25j",         // 15 bytes
        "dGhlIHNhbXBsZSBub25jZXM=",     // 17 bytes
        "dGhlIHNhbXBsZSBub25jZQ==AAAA", // padding in the middle
        "dGhlIHNhbXBsZSBub25jZ!==",     // character outside the alphabet
        "not a key at all",
    ] as [String?])
    func invalidKeyIsRefusedWith400(key: String?) {
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1),
                                                               headers: Self.headers(key: key)))
        #expect(refusal?.reason == .invalidKey)
        #expect(refusal?.status == 400)
    }

    @Test func repeatedKeyIsRefusedWith400() {
        var fields = Self.headers()
        fields.append(("Sec-WebSocket-Key", "AAAAAAAAAAAAAAAAAAAAAA=="))
        let refusal = Self.refusal(WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1), headers: fields))
        #expect(refusal?.reason == .invalidKey)
    }

    @Test func keyValidationAcceptsAny16ByteBase64() {
        #expect(WebSocketHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAA=="))
        #expect(WebSocketHandshake.isValidKey("/////////////////////w=="))
        #expect(!WebSocketHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAAAA"))
    }

    @Test func upgradeRequestDetectionLooksForWebsocketToken() {
        #expect(WebSocketHandshake.isUpgradeRequest(headers: Self.headers()))
        #expect(WebSocketHandshake.isUpgradeRequest(headers: [("UPGRADE", "foo, WebSocket")]))
        #expect(!WebSocketHandshake.isUpgradeRequest(headers: Self.headers(upgrade: nil)))
        #expect(!WebSocketHandshake.isUpgradeRequest(headers: [("Upgrade", "h2c")]))
    }

    @Test func base64RoundTripsEveryLength() {
        var bytes: [UInt8] = []
        for n in 0..<40 {
            let encoded = WebSocketBase64.encode(bytes)
            #expect(encoded.utf8.count == (n + 2) / 3 * 4)
            #expect(WebSocketBase64.decode(encoded) == bytes)
            bytes.append(UInt8(truncatingIfNeeded: n &* 37 &+ 11))
        }
        #expect(WebSocketBase64.encode(Array("foobar".utf8)) == "Zm9vYmFy")
        #expect(WebSocketBase64.encode(Array("fooba".utf8)) == "Zm9vYmE=")
        #expect(WebSocketBase64.encode(Array("foob".utf8)) == "Zm9vYg==")
    }

    // MARK: Client side

    @Test func clientKeysAreValidAndFresh() {
        let a = WebSocketHandshake.makeClientKey()
        let b = WebSocketHandshake.makeClientKey()
        #expect(WebSocketHandshake.isValidKey(a))
        #expect(WebSocketHandshake.isValidKey(b))
        #expect(a != b)
    }

    @Test func clientRequestIsAcceptedByTheServerSide() throws {
        let key = WebSocketHandshake.makeClientKey()
        let request = WebSocketHandshake.clientRequest(host: "club.example", path: "/ws", key: key)
        #expect(request.hasPrefix("GET /ws HTTP/1.1\r\n"))
        #expect(request.hasSuffix("\r\n\r\n"))
        let fields: [(name: String, value: String)] = request.split(separator: "\r\n").dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), String(line[line.index(after: colon)...]))
        }
        let accepted = try WebSocketHandshake.validate(method: "GET", httpVersion: (1, 1), headers: fields).get()
        #expect(WebSocketHandshake.isValidServerResponse(status: 101, headers: accepted.headers, key: key))
        #expect(!WebSocketHandshake.isValidServerResponse(status: 200, headers: accepted.headers, key: key))
        #expect(!WebSocketHandshake.isValidServerResponse(status: 101, headers: accepted.headers,
                                                          key: WebSocketHandshake.makeClientKey()))
    }
}
