import Foundation
import Glibc
import FeltTestSupport
@testable import FeltNet

/// An in-process server on an ephemeral loopback port, for tests.
struct TestServer {
    let group: EventLoopGroup
    let server: HTTPServer
    var port: Int { server.port }
    var base: String { "http://127.0.0.1:\(port)" }

    /// Starts a server with `routers` keyed by host (the tenant value is the host's key).
    static func start(hosts: [String: String] = ["club.test": "club"],
                      routers: [String: Router],
                      loops: Int = 2,
                      configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> TestServer {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.sweepInterval = .milliseconds(50)
        configure(&configuration)
        let group = try EventLoopGroup(loopCount: loops)
        let hostRouter = HostRouter(hosts)
        let server = HTTPServer(configuration: configuration, group: group, hosts: hostRouter) { tenant in routers[tenant] }
        try server.start()
        return TestServer(group: group, server: server)
    }

    func stop() async {
        await server.shutdown(timeout: .seconds(2))
        let group = self.group
        _ = try? await blocking { group.shutdown() }
    }
}

/// Serializes child processes: Foundation's `Process` on Linux trips a fatal
/// exclusivity check when several are polled at once from different threads.
let processLock = NSLock()

/// Runs blocking test code (sockets, processes) on a thread of its own, so it never
/// occupies Dispatch / cooperative-pool threads the server's tasks and timers need.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await onOwnThread(body)
}

/// Runs a process on its own thread (one at a time, see `processLock`).
func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 60) async throws -> ProcessResult {
    try await blocking {
        processLock.lock()
        defer { processLock.unlock() }
        return try runProcess(executable, arguments, timeout: timeout)
    }
}

/// Runs one of the Python scripts in Tests/python.
func runPython(_ script: String, _ arguments: [String], timeout: TimeInterval = 120) async throws -> ProcessResult {
    let path = TestEnvironment.pythonTests.appendingPathComponent(script).path
    return try await run("python3", [path] + arguments, timeout: timeout)
}

/// A blocking TCP client for raw-protocol checks.
final class RawClient: @unchecked Sendable {
    // @unchecked Sendable: used from one test at a time, through BlockingPool.
    let fd: Int32

    init(port: Int, receiveTimeout: Double = 5) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            // No close here: a class whose initializer throws after every property is set
            // still runs `deinit`, which closes `fd`. Closing twice could close a descriptor
            // number another thread (libpq, a server loop) has been given in between.
            throw NetworkError(code: "connect_failed", message: "connect to \(port) failed")
        }
        var timeout = timeval(tv_sec: Int(receiveTimeout), tv_usec: Int((receiveTimeout - Double(Int(receiveTimeout))) * 1_000_000))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    func send(_ text: String) { send(Array(text.utf8)) }

    func send(_ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Reads until the peer closes or the receive timeout passes.
    func readToEnd() -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Reads until `count` complete responses (by `HTTP/1.1 ` status lines) are seen,
    /// the peer closes, or the timeout passes.
    func readResponses(_ count: Int) -> String {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let text = String(decoding: data, as: UTF8.self)
            if HTTPResponses.split(text).count >= count && HTTPResponses.complete(text) { return text }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return text }
            data.append(contentsOf: buffer[0..<n])
        }
    }
}

/// Splitting a byte stream of responses (test helper; Content-Length framing only).
enum HTTPResponses {
    struct Parsed {
        var status: Int
        var headers: [String: String]
        var body: String
    }

    static func split(_ text: String) -> [Parsed] {
        var result: [Parsed] = []
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound]
            var lines = head.components(separatedBy: "\r\n")
            let statusLine = lines.removeFirst()
            let status = Int(statusLine.split(separator: " ").dropFirst().first ?? "") ?? 0
            var headers: [String: String] = [:]
            for line in lines {
                guard let colon = line.firstIndex(of: ":") else { continue }
                headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            var bodyStart = headEnd.upperBound
            let length = Int(headers["content-length"] ?? "0") ?? 0
            let available = rest.utf8.distance(from: bodyStart, to: rest.endIndex)
            if available < length { break }
            let bodyEnd = rest.utf8.index(bodyStart, offsetBy: length)
            let body = String(rest[bodyStart..<bodyEnd])
            bodyStart = bodyEnd
            result.append(Parsed(status: status, headers: headers, body: body))
            rest = rest[bodyStart...]
        }
        return result
    }

    static func complete(_ text: String) -> Bool {
        guard let last = text.range(of: "HTTP/1.1 ", options: .backwards) else { return false }
        return !split(String(text[last.lowerBound...])).isEmpty
    }
}

/// A JSON error body decoded.
struct ErrorBody: Decodable, Equatable {
    let error: String
    let code: String
}

func errorCode(_ body: String) -> String? {
    (try? JSONDecoder().decode(ErrorBody.self, from: Data(body.utf8)))?.code
}
