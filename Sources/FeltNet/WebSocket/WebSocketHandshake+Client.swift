/// The client side of the opening handshake, for test and benchmark clients.
extension WebSocketHandshake {
    /// A fresh `Sec-WebSocket-Key`: base64 of 16 random bytes.
    public static func makeClientKey() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return WebSocketBase64.encode(bytes)
    }

    /// The complete HTTP/1.1 upgrade request for `path` on `host`, ready to write.
    public static func clientRequest(host: String, path: String, key: String) -> String {
        "GET \(path) HTTP/1.1\r\n" +
            "Host: \(host)\r\n" +
            "Upgrade: websocket\r\n" +
            "Connection: Upgrade\r\n" +
            "Sec-WebSocket-Key: \(key)\r\n" +
            "Sec-WebSocket-Version: \(supportedVersion)\r\n\r\n"
    }

    /// Whether a server's response accepts the upgrade requested with `key`: status 101,
    /// `Upgrade: websocket`, `Connection: upgrade` and the right `Sec-WebSocket-Accept`.
    public static func isValidServerResponse(status: Int, headers: [(name: String, value: String)], key: String) -> Bool {
        guard status == 101 else { return false }
        let expected = acceptValue(forKey: key)
        var upgrade = false, connection = false, accept = false
        for field in headers {
            if equalsIgnoringCase(field.name, "upgrade") && containsToken(field.value, "websocket") { upgrade = true }
            if equalsIgnoringCase(field.name, "connection") && containsToken(field.value, "upgrade") { connection = true }
            if equalsIgnoringCase(field.name, "sec-websocket-accept") && trimmed(field.value) == expected { accept = true }
        }
        return upgrade && connection && accept
    }
}
