import CLinuxSys
import Foundation
import Glibc

/// Why a bot's HTTP call failed (before any status was read).
struct BotHTTPError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A response: status and body.
struct BotHTTPResponse {
    var status: Int
    var body: [UInt8]

    /// The body as a JSON object (empty when it is not one).
    var object: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
}

/// A blocking HTTP/1.1 client on one keep-alive connection, for the setup and teardown
/// of `felt bots` (register/login, join, leave, wallet). One per worker thread; not shared.
final class BotHTTPClient {
    let address: String
    let port: UInt16
    let host: String
    let sourceAddress: String?
    private var fd: Int32 = -1
    private var buffer = [UInt8](repeating: 0, count: 16384)
    private var pending: [UInt8] = []

    init(address: String, port: UInt16, host: String, sourceAddress: String?) {
        self.address = address
        self.port = port
        self.host = host
        self.sourceAddress = sourceAddress
    }

    deinit { if fd >= 0 { close(fd) } }

    /// Sends one request and reads its response; reconnects once if a kept-alive
    /// connection turns out to be closed.
    func request(_ method: String, _ path: String, json: String? = nil, token: String? = nil,
                 headers: [(String, String)] = []) throws -> BotHTTPResponse {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(host)\r\n"
        if let token { head += "Authorization: Bearer \(token)\r\n" }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        let body = Array((json ?? "").utf8)
        if json != nil { head += "Content-Type: application/json\r\n" }
        head += "Content-Length: \(body.count)\r\n\r\n"
        let bytes = Array(head.utf8) + body
        for attempt in 0..<2 {
            if fd < 0 { try connectSocket() }
            do {
                try sendAll(bytes)
                return try readResponse()
            } catch {
                close(fd)
                fd = -1
                pending.removeAll()
                if attempt == 1 { throw error }
            }
        }
        throw BotHTTPError("unreachable")
    }

    private func connectSocket() throws {
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { throw BotHTTPError("socket: errno \(errno)") }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        var timeout = timeval(tv_sec: 60, tv_usec: 0)
        setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let sourceAddress { _ = BotSocket.bind(s, to: sourceAddress) }
        guard BotSocket.connect(s, address: address, port: port, blocking: true) else {
            let code = errno
            close(s)
            throw BotHTTPError("connect \(address):\(port): errno \(code)")
        }
        fd = s
    }

    private func sendAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw BotHTTPError("send: errno \(errno)") }
            offset += sent
        }
    }

    private func fill() throws {
        let got = recv(fd, &buffer, buffer.count, 0)
        guard got > 0 else { throw BotHTTPError(got == 0 ? "connection closed" : "recv: errno \(errno)") }
        pending.append(contentsOf: buffer[0..<got])
    }

    private func readResponse() throws -> BotHTTPResponse {
        var headEnd: Int?
        while headEnd == nil {
            headEnd = BotSocket.headerEnd(pending)
            if headEnd == nil { try fill() }
        }
        guard let end = headEnd else { throw BotHTTPError("no header") }
        let headText = String(decoding: pending[0..<end], as: UTF8.self)
        let lines = headText.components(separatedBy: "\r\n")
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw BotHTTPError("bad status line: \(lines.first ?? "")")
        }
        var length = 0
        var closeAfter = false
        for line in lines.dropFirst() {
            let lower = line.lowercased()
            if lower.hasPrefix("content-length:") { length = Int(lower.dropFirst(15).trimmingCharacters(in: .whitespaces)) ?? 0 }
            if lower.hasPrefix("connection:") && lower.contains("close") { closeAfter = true }
        }
        let bodyStart = end + 4
        while pending.count < bodyStart + length { try fill() }
        let body = Array(pending[bodyStart..<(bodyStart + length)])
        pending.removeFirst(bodyStart + length)
        if closeAfter {
            close(fd)
            fd = -1
            pending.removeAll()
        }
        return BotHTTPResponse(status: status, body: body)
    }
}

/// Socket helpers shared by the HTTP and WebSocket sides of `felt bots`.
enum BotSocket {
    /// Binds `fd` to a local address (spreading thousands of connections over loopback
    /// addresses keeps each under the server's per-address connection limit).
    static func bind(_ fd: Int32, to address: String) -> Bool {
        var local = sockaddr_in()
        local.sin_family = sa_family_t(AF_INET)
        local.sin_port = 0
        guard inet_pton(AF_INET, address, &local.sin_addr) == 1 else { return false }
        return withUnsafePointer(to: &local) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// Connects; with `blocking: false` an in-progress connect counts as success.
    static func connect(_ fd: Int32, address: String, port: UInt16, blocking: Bool) -> Bool {
        var remote = sockaddr_in()
        remote.sin_family = sa_family_t(AF_INET)
        remote.sin_port = in_port_t(port).bigEndian
        guard inet_pton(AF_INET, address, &remote.sin_addr) == 1 else { return false }
        let result = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0 || (!blocking && errno == EINPROGRESS)
    }

    /// Index of the `\r\n\r\n` ending an HTTP head, or nil.
    static func headerEnd(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for i in 0...(bytes.count - 4)
        where bytes[i] == 13 && bytes[i + 1] == 10 && bytes[i + 2] == 13 && bytes[i + 3] == 10 {
            return i
        }
        return nil
    }

    /// The loopback source address for connection number `index` (`perAddress` each).
    static func loopbackSource(_ index: Int, perAddress: Int = 400) -> String {
        let k = index / perAddress
        return "127.1.\(k / 250).\(k % 250 + 1)"
    }
}
