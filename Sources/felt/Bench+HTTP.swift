import FeltNet
import Foundation
import Glibc

/// `felt bench http`: serves a ~2 KB JSON route and drives it with wrk, reporting
/// requests/s and server CPU µs per request (getrusage utime+stime / requests served).
let benchHTTP = Benchmark(name: "http", summary: "HTTP requests/s and server CPU per request (wrk)", run: { arguments in
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["port", "loops", "duration", "connections", "threads", "runs"],
                                    flags: ["serve"])
    } catch {
        printError("felt bench http: \(error)\nUSAGE: felt bench http [--port N] [--loops N] [--duration 10s] [--connections 64] [--threads 2] [--runs 3] [--serve]")
        return 2
    }
    let loops = Int(options.values["loops"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
    let port = Int(options.values["port"] ?? "0") ?? 0
    let duration = options.values["duration"] ?? "10s"
    let connections = options.values["connections"] ?? "64"
    let threads = options.values["threads"] ?? "2"
    let runs = max(1, Int(options.values["runs"] ?? "3") ?? 3)

    let group: EventLoopGroup
    let server: HTTPServer
    do {
        group = try EventLoopGroup(loopCount: loops)
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = port
        configuration.maxConnectionsPerAddress = 100_000
        let body = HTTPBenchPayload.tablesJSON()
        var router = Router()
        router.get("/api/tables") { _, _ in .json(bytes: body) }
        let hosts = HostRouter(["127.0.0.1": "bench", "localhost": "bench"])
        let routes = router
        server = HTTPServer(configuration: configuration, group: group, hosts: hosts) { _ in routes }
        try server.start()
        print("felt bench http: serving \(body.count)-byte JSON at http://127.0.0.1:\(server.port)/api/tables on \(loops) loop(s)")
    } catch {
        printError("felt bench http: \(error)")
        return 1
    }
    let url = "http://127.0.0.1:\(server.port)/api/tables"
    if options.flags.contains("serve") {
        _ = await TerminationSignal.wait()
        await server.shutdown(timeout: .seconds(2))
        group.shutdown()
        return 0
    }
    guard let wrk = HTTPBenchPayload.findExecutable("wrk") else {
        printError("felt bench http: wrk is not installed (apt-get install wrk); serving until SIGTERM instead")
        _ = await TerminationSignal.wait()
        return 1
    }
    // Warm-up, then measured runs.
    _ = HTTPBenchPayload.run(wrk, ["-t", threads, "-c", connections, "-d", "2s", url])
    var results: [(rps: Double, cpu: Double, requests: UInt64)] = []
    for run in 1...runs {
        let (userBefore, systemBefore) = HTTPBenchPayload.processCPUSplit()
        let requestsBefore = server.requestCount
        let output = HTTPBenchPayload.run(wrk, ["-t", threads, "-c", connections, "-d", duration, "--latency", url])
        let (userAfter, systemAfter) = HTTPBenchPayload.processCPUSplit()
        let cpu = (userAfter - userBefore) + (systemAfter - systemBefore)
        let userShare = cpu > 0 ? (userAfter - userBefore) / cpu * 100 : 0
        let served = server.requestCount - requestsBefore
        let rps = HTTPBenchPayload.requestsPerSecond(output) ?? 0
        let perRequest = served > 0 ? cpu / Double(served) : 0
        results.append((rps, perRequest, served))
        let latency = output.split(separator: "\n").first { $0.contains("99%") }.map { $0.trimmingCharacters(in: .whitespaces) } ?? "?"
        print(String(format: "run %d: %.0f requests/s, %.2f µs server CPU/request (%.0f%% user), %llu requests, latency %@",
                     run, rps, perRequest, userShare, served, latency))
        if rps == 0 { print(output) }
    }
    let medianRPS = results.map(\.rps).sorted()[results.count / 2]
    let medianCPU = results.map(\.cpu).sorted()[results.count / 2]
    print(String(format: "median of %d runs: %.0f requests/s, %.2f µs server CPU/request", runs, medianRPS, medianCPU))
    print("command: wrk -t\(threads) -c\(connections) -d\(duration) --latency \(url)  (server: felt bench http --loops \(loops))")
    await server.shutdown(timeout: .seconds(2))
    group.shutdown()
    return 0
})

/// Helpers for the HTTP benchmark.
enum HTTPBenchPayload {
    /// About 2 KB of JSON shaped like a table listing, encoded once.
    static func tablesJSON() -> [UInt8] {
        struct Table: Encodable {
            let id: String, name: String, variant: String, smallBlind: Int, bigBlind: Int
            let seats: Int, seated: Int, minBuyIn: Int, maxBuyIn: Int
        }
        struct Listing: Encodable { let tables: [Table] }
        let tables = (1...14).map { i in
            Table(id: "nl-10-20-\(i)", name: "No-Limit 10/20 #\(i)", variant: "nlhe", smallBlind: 10, bigBlind: 20,
                  seats: 6, seated: i % 7, minBuyIn: 400, maxBuyIn: 2000)
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(Listing(tables: tables))) ?? Data("{}".utf8))
    }

    /// (utime, stime) of this process in microseconds.
    static func processCPUSplit() -> (Double, Double) {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return (Double(usage.ru_utime.tv_sec) * 1_000_000 + Double(usage.ru_utime.tv_usec),
                Double(usage.ru_stime.tv_sec) * 1_000_000 + Double(usage.ru_stime.tv_usec))
    }

    static func requestsPerSecond(_ output: String) -> Double? {
        for line in output.split(separator: "\n") where line.hasPrefix("Requests/sec:") {
            return Double(line.dropFirst("Requests/sec:".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    static func findExecutable(_ name: String) -> String? {
        for dir in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Runs a program to completion and returns its standard output.
    static func run(_ path: String, _ arguments: [String]) -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        do { try process.run() } catch { return "" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}
