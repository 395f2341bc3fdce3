import CLinuxSys
import FeltNet
import Foundation
import Glibc
import Synchronization

/// `felt bench ws`: holds 1,000 / 5,000 / 10,000 WebSocket connections, reports the
/// server's resident memory and the delivery latency of a 1 KiB broadcast to all.
///
/// The clients run in a child process (`--client`, spawned automatically) so the
/// server process holds only its own descriptors; both sides use CLOCK_MONOTONIC, so
/// the child measures each delivery against the send time carried in the message.
/// With `--autobahn-echo` it instead serves the Autobahn echo endpoint (a test flag).
let benchWS = Benchmark(name: "ws", summary: "WebSocket memory and broadcast latency", run: { arguments in
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["port", "loops", "connections", "rounds", "client-threads"],
                                    flags: ["autobahn-echo", "client", "codec"])
    } catch {
        printError("felt bench ws: \(error)\nUSAGE: felt bench ws [--connections 1000,5000,10000] [--rounds 20] [--loops N] [--client-threads 2]\n       felt bench ws --codec\n       felt bench ws --autobahn-echo [--port 9001]")
        return 2
    }
    let loops = Int(options.values["loops"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
    if options.flags.contains("autobahn-echo") {
        return await serveAutobahnEcho(port: Int(options.values["port"] ?? "9001") ?? 9001, loops: loops)
    }
    if options.flags.contains("codec") {
        // The codec's own micro-benchmarks (parse, UTF-8, encode, fan-out), no I/O.
        for measurement in WebSocketCodecBenchmark.run() { print(measurement) }
        return 0
    }
    if options.flags.contains("client") {
        return WSBenchClient.runChild(port: Int(options.values["port"] ?? "0") ?? 0,
                                      threads: max(1, Int(options.values["client-threads"] ?? "2") ?? 2))
    }
    let counts = (options.values["connections"] ?? "1000,5000,10000").split(separator: ",").compactMap { Int($0) }
    let rounds = max(1, Int(options.values["rounds"] ?? "20") ?? 20)
    let clientThreads = max(1, Int(options.values["client-threads"] ?? "2") ?? 2)
    return await WSBenchServer.run(counts: counts, rounds: rounds, loops: loops, clientThreads: clientThreads)
})

/// Serves a WebSocket echo on every path and host (test use only) until SIGTERM/SIGINT.
func serveAutobahnEcho(port: Int, loops: Int) async -> Int32 {
    do {
        let group = try EventLoopGroup(loopCount: loops)
        let server = AutobahnEcho.makeServer(port: port, group: group)
        try server.start()
        FileHandle.standardOutput.write(Data("autobahn echo listening on 127.0.0.1:\(server.port)\n".utf8))
        _ = await TerminationSignal.wait()
        await server.shutdown(timeout: .seconds(2))
        group.shutdown()
        return 0
    } catch {
        printError("felt bench ws --autobahn-echo: \(error)")
        return 1
    }
}

/// Resident set size of this process in KiB (VmRSS).
func residentKiB() -> Int {
    guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
    return 0
}

/// Raises the soft descriptor limit to the hard limit.
func raiseDescriptorLimit() -> Int {
    var limit = rlimit()
    getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    limit.rlim_cur = limit.rlim_max
    setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    return Int(limit.rlim_cur)
}

/// The server side: accepts the child's connections and broadcasts.
enum WSBenchServer {
    static func run(counts: [Int], rounds: Int, loops: Int, clientThreads: Int) async -> Int32 {
        let fdLimit = raiseDescriptorLimit()
        let members = Locked<[WebSocketConnection]>([])
        let group: EventLoopGroup
        let server: HTTPServer
        do {
            group = try EventLoopGroup(loopCount: loops)
            var configuration = ServerConfiguration()
            configuration.host = "127.0.0.1"
            configuration.port = 0
            configuration.maxConnectionsPerAddress = 1_000_000
            configuration.webSocketPingInterval = .seconds(3600)
            var router = Router()
            router.webSocket("/ws/bench") { _, _ in
                .accept(WebSocketHandler(onOpen: { connection in members.withLock { $0.append(connection) } }))
            }
            let routes = router
            server = HTTPServer(configuration: configuration, group: group, hosts: HostRouter(["127.0.0.1": "bench"])) { _ in routes }
            try server.start()
        } catch {
            printError("felt bench ws: \(error)")
            return 1
        }
        let baseline = residentKiB()
        print("felt bench ws: server on 127.0.0.1:\(server.port), \(loops) loop(s), descriptor limit \(fdLimit), baseline RSS \(baseline / 1024) MiB")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/proc/self/exe")
        child.arguments = ["bench", "ws", "--client", "--port", String(server.port), "--client-threads", String(clientThreads)]
        let toChild = Pipe(), fromChild = Pipe()
        child.standardInput = toChild
        child.standardOutput = fromChild
        do { try child.run() } catch {
            printError("felt bench ws: cannot start the client process: \(error)")
            return 1
        }
        let lines = LineReader(fromChild.fileHandleForReading)
        func tell(_ line: String) { toChild.fileHandleForWriting.write(Data((line + "\n").utf8)) }
        print("connections | server RSS MiB | KiB/connection | broadcast p50 ms | p99 ms | max ms | server writes ms | delivered")
        var status: Int32 = 0
        for count in counts {
            tell("connect \(count)")
            guard let reply = lines.next(), reply.hasPrefix("connected") else {
                printError("felt bench ws: client failed to connect \(count)")
                status = 1
                break
            }
            let connected = Int(reply.split(separator: " ").last ?? "0") ?? 0
            var waited = 0
            while members.withLock({ $0.count }) < connected && waited < 3000 {
                try? await Task.sleep(for: .milliseconds(10))
                waited += 1
            }
            try? await Task.sleep(for: .milliseconds(300))
            let rss = residentKiB()
            let targets = members.withLock { $0 }
            var p50s: [Double] = [], p99s: [Double] = [], maxes: [Double] = []
            var delivered = 0
            var writeTimes: [Double] = []
            for round in 1...rounds {
                tell("expect \(round)")
                _ = lines.next()  // "ready"
                let sentAt = MonotonicClock.nanoseconds()
                var text = "\(round) \(sentAt) "
                text += String(repeating: "x", count: 1024 - text.utf8.count)
                WebSocketBroadcast.send(text: text, to: targets)
                let writesDone = Locked<UInt64>(0)
                for loop in group.loops {
                    // Queued after the broadcast's closure; the inner hop runs in the next
                    // iteration, i.e. after the end-of-iteration flush has written the frames.
                    loop.execute { loop.execute { writesDone.withLock { $0 = max($0, MonotonicClock.nanoseconds()) } } }
                }
                guard let result = lines.next() else { break }
                writeTimes.append(Double(writesDone.withLock { $0 } &- sentAt) / 1_000_000)
                let parts = result.split(separator: " ")
                guard parts.count == 5 else { continue }
                p50s.append(Double(parts[1]) ?? 0)
                p99s.append(Double(parts[2]) ?? 0)
                maxes.append(Double(parts[3]) ?? 0)
                delivered = Int(parts[4]) ?? 0
            }
            func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] }
            let perConnection = connected > 0 ? Double(rss - baseline) / Double(connected) : 0
            print(String(format: "%11d | %13.1f | %14.2f | %16.2f | %6.2f | %6.2f | %16.2f | %d/%d", connected, Double(rss) / 1024,
                         perConnection, median(p50s), median(p99s), median(maxes), median(writeTimes), delivered, connected))
        }
        print("(latency: median over \(rounds) rounds of each round's p50/p99/max; 1 KiB text frame; command: felt bench ws --connections \(counts.map(String.init).joined(separator: ",")) --rounds \(rounds) --loops \(loops) --client-threads \(clientThreads))")
        tell("quit")
        child.waitUntilExit()
        await server.shutdown(timeout: .seconds(5))
        group.shutdown()
        return status
    }
}

/// Reads lines from a pipe.
final class LineReader: @unchecked Sendable {
    // @unchecked Sendable: used by one task at a time (the benchmark's main flow).
    private let handle: FileHandle
    private var buffer = Data()
    init(_ handle: FileHandle) { self.handle = handle }
    func next() -> String? {
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                let line = String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self)
                buffer.removeSubrange(buffer.startIndex...newline)
                return line
            }
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            buffer.append(chunk)
        }
    }
}

/// The client side (child process): raw sockets spread over `threads` receiver threads,
/// each with its own epoll set, measuring delivery.
enum WSBenchClient {
    static let frameSize = 4 + 1024

    static func runChild(port: Int, threads: Int) -> Int32 {
        _ = raiseDescriptorLimit()
        let receivers = (0..<threads).map { _ in WSBenchReceiver() }
        var total = 0
        let input = LineReader(FileHandle.standardInput)
        func say(_ line: String) {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
        while let command = input.next() {
            let parts = command.split(separator: " ")
            switch parts.first {
            case "connect":
                let target = Int(parts.last ?? "0") ?? 0
                while total < target {
                    guard let fd = handshake(port: port) else { break }
                    receivers[total % threads].add(fd)
                    total += 1
                }
                say("connected \(total)")
            case "expect":
                let round = UInt64(parts.last ?? "0") ?? 0
                for receiver in receivers { receiver.prepare() }
                let done = DispatchGroup()
                for receiver in receivers {
                    done.enter()
                    let thread = Thread {
                        receiver.receive(round: round)
                        done.leave()
                    }
                    thread.start()
                }
                // The threads are waiting in epoll_wait before the server is told to send.
                for receiver in receivers { receiver.started.wait() }
                say("ready")
                done.wait()
                var latencies: [Double] = []
                latencies.reserveCapacity(total)
                for receiver in receivers {
                    for i in 0..<receiver.received { latencies.append(Double(receiver.latencies[i]) / 1_000_000) }
                }
                latencies.sort()
                func pct(_ p: Double) -> Double { latencies.isEmpty ? 0 : latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))] }
                say(String(format: "result %.3f %.3f %.3f %d", pct(0.5), pct(0.99), latencies.last ?? 0, latencies.count))
            default:
                for receiver in receivers { receiver.closeAll() }
                return 0
            }
        }
        return 0
    }

    /// Reads "<round> <sentAt> " from the start of a frame (after its 4 header bytes).
    static func parseHead(_ bytes: ArraySlice<UInt8>) -> (UInt64, UInt64)? {
        var values: [UInt64] = []
        var current: UInt64 = 0
        var digits = 0
        for byte in bytes.dropFirst(4) {
            if byte >= 0x30 && byte <= 0x39 {
                current = current &* 10 &+ UInt64(byte - 0x30)
                digits += 1
            } else {
                guard digits > 0 else { return nil }
                values.append(current)
                if values.count == 2 { return (values[0], values[1]) }
                current = 0
                digits = 0
            }
        }
        return nil
    }

    /// Connects and completes the WebSocket handshake with a blocking socket.
    static func handshake(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port)).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let ok = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard ok == 0 else {
            close(fd)
            return nil
        }
        let request = "GET /ws/bench HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
            guard recv(fd, &byte, 1, 0) == 1 else {
                close(fd)
                return nil
            }
            head.append(byte)
        }
        guard head.starts(with: Array("HTTP/1.1 101".utf8)) else {
            close(fd)
            return nil
        }
        return fd
    }
}

/// One receiver thread's sockets and per-round state. Per descriptor it keeps only the
/// bytes seen of the current frame; the first 48 bytes of each frame go to a flat buffer.
final class WSBenchReceiver: @unchecked Sendable {
    // @unchecked Sendable: the main thread touches it only between rounds (after the
    // round's DispatchGroup wait); during a round only its own thread does.
    let epfd = epoll_create1(0)
    var fds: [Int32] = []
    var maxFD = 0
    var seen: [Int32] = []
    var heads: [UInt8] = []
    var latencies: [UInt64] = []
    var received = 0
    let started = DispatchSemaphore(value: 0)
    static let headBytes = 48

    func add(_ fd: Int32) {
        fds.append(fd)
        maxFD = max(maxFD, Int(fd) + 1)
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = fd
        epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &event)
    }

    func prepare() {
        seen = [Int32](repeating: 0, count: maxFD)
        heads = [UInt8](repeating: 0, count: maxFD * WSBenchReceiver.headBytes)
        latencies = [UInt64](repeating: 0, count: fds.count)
        received = 0
    }

    /// Reads until every connection delivered this round's frame (or 10 s passed).
    func receive(round: UInt64) {
        let frameSize = WSBenchClient.frameSize
        let headBytes = WSBenchReceiver.headBytes
        var buffer = [UInt8](repeating: 0, count: 65536)
        var events = [epoll_event](repeating: epoll_event(), count: 1024)
        let expected = fds.count
        var signalled = false
        let deadline = MonotonicClock.nanoseconds() + 10_000_000_000
        while received < expected {
            if !signalled {
                started.signal()
                signalled = true
            }
            let n = epoll_wait(epfd, &events, 1024, 100)
            if n <= 0 {
                if MonotonicClock.nanoseconds() > deadline { break }
                continue
            }
            for i in 0..<Int(n) {
                let fd = Int(events[i].data.fd)
                let got = recv(Int32(fd), &buffer, buffer.count, 0)
                guard got > 0 else { continue }
                let now = MonotonicClock.nanoseconds()
                var offset = 0
                while offset < got {
                    let already = Int(seen[fd])
                    let take = min(got - offset, frameSize - already)
                    if already < headBytes {
                        let copy = min(take, headBytes - already)
                        for k in 0..<copy { heads[fd * headBytes + already + k] = buffer[offset + k] }
                    }
                    offset += take
                    if already + take == frameSize {
                        seen[fd] = 0
                        if let (frameRound, sentAt) = WSBenchClient.parseHead(heads[(fd * headBytes)..<((fd + 1) * headBytes)]),
                           frameRound == round, received < latencies.count {
                            latencies[received] = now &- sentAt
                            received += 1
                        }
                    } else {
                        seen[fd] = Int32(already + take)
                    }
                }
            }
        }
        if !signalled { started.signal() }
    }

    func closeAll() {
        for fd in fds { close(fd) }
        close(epfd)
    }
}
