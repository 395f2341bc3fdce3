import FeltAuth
import FeltConfig
import FeltNet
import FeltServer
import Foundation

/// `felt bench auth`: starts the server in-process (embedded PostgreSQL in a temporary
/// folder, or the database named by `--database-url-env`), registers a user over HTTP,
/// then drives two routes with wrk over keep-alive connections:
/// `GET /api/auth/me` (token verification + one indexed query) and
/// `GET /api/auth/token-check` (token verification only). Reports the median of runs.
let benchAuth = Benchmark(name: "auth", summary: "Authenticated requests/s: /api/auth/me vs token check (wrk)", run: { arguments in
    let usage = """
    USAGE: felt bench auth [--duration 10s] [--connections 64] [--threads 2] [--runs 3] [--loops N]
                           [--alg HS256|EdDSA] [--data-dir PATH] [--database-url-env NAME]
    """
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["duration", "connections", "threads", "runs", "loops", "alg",
                                                        "data-dir", "database-url-env"])
    } catch {
        printError("felt bench auth: \(error)\n\(usage)")
        return 2
    }
    let duration = options.values["duration"] ?? "10s"
    let connections = options.values["connections"] ?? "64"
    let threads = options.values["threads"] ?? "2"
    let runs = max(1, Int(options.values["runs"] ?? "3") ?? 3)
    let loops = Int(options.values["loops"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount
    let algorithm = options.values["alg"] ?? "HS256"
    guard algorithm == "HS256" || algorithm == "EdDSA" else {
        printError("felt bench auth: --alg must be HS256 or EdDSA")
        return 2
    }
    guard let wrk = HTTPBenchPayload.findExecutable("wrk"), let curl = HTTPBenchPayload.findExecutable("curl") else {
        printError("felt bench auth: needs wrk and curl (apt-get install wrk curl)")
        return 1
    }

    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-bench-auth-\(getpid())")
    defer { try? FileManager.default.removeItem(at: folder) }
    let configuration: FeltConfiguration
    do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        configuration = try AuthBenchConfig.write(in: folder, loops: loops, algorithm: algorithm,
                                                  dataDirectory: options.values["data-dir"] ?? folder.appendingPathComponent("pg").path,
                                                  urlEnv: options.values["database-url-env"])
    } catch {
        printError("felt bench auth: \(error)")
        return 1
    }
    var serve = ServeOptions()
    serve.port = 0
    serve.log = .silent
    let app: FeltServerApp
    do throws(ServeError) {
        app = try await FeltServerApp.start(configuration: configuration, options: serve)
    } catch {
        printError("felt bench auth: \(error)")
        return 1
    }
    let base = "http://127.0.0.1:\(app.port)"
    let host = "Host: \(AuthBenchConfig.host)"
    let registration = (try? await BlockingPool.run {
        HTTPBenchPayload.run(curl, ["-s", "-H", host, "-H", "Content-Type: application/json", "-X", "POST",
                                    "-d", "{\"username\":\"bench\(getpid())\",\"password\":\"bench password 123\"}",
                                    base + "/api/auth/register"])
    }) ?? ""
    guard let object = try? JSONSerialization.jsonObject(with: Data(registration.utf8)) as? [String: Any],
          let token = object["access_token"] as? String else {
        printError("felt bench auth: registration failed: \(registration)")
        await app.shutdown()
        return 1
    }
    print("felt bench auth: server on \(base) (\(loops) loop(s), \(algorithm) tokens, pool of \(configuration.database.maxConnections))")

    var medians: [(String, Double)] = []
    for (label, path) in [("GET /api/auth/me (verify + 1 indexed query)", "/api/auth/me"),
                          ("GET /api/auth/token-check (verify only)", "/api/auth/token-check")] {
        let url = base + path
        let wrkArguments = ["-t", threads, "-c", connections, "-d", duration, "-H", host, "-H", "Authorization: Bearer \(token)", url]
        _ = try? await BlockingPool.run { HTTPBenchPayload.run(wrk, ["-t", threads, "-c", connections, "-d", "2s", "-H", host,
                                                                       "-H", "Authorization: Bearer \(token)", url]) }
        var rates: [Double] = []
        for run in 1...runs {
            let output = (try? await BlockingPool.run { HTTPBenchPayload.run(wrk, wrkArguments) }) ?? ""
            let rps = HTTPBenchPayload.requestsPerSecond(output) ?? 0
            let non2xx = output.split(separator: "\n").first { $0.contains("Non-2xx") }.map(String.init)
            rates.append(rps)
            print(String(format: "%@ run %d: %.0f requests/s", label, run, rps) + (non2xx.map { " (\($0.trimmingCharacters(in: .whitespaces)))" } ?? ""))
        }
        let median = rates.sorted()[rates.count / 2]
        medians.append((label, median))
        print("command: wrk -t\(threads) -c\(connections) -d\(duration) -H '\(host)' -H 'Authorization: Bearer <token>' \(url)")
    }
    for (label, median) in medians {
        print(String(format: "median of %d runs: %@: %.0f requests/s", runs, label, median))
    }
    await app.shutdown()
    return 0
})

/// The benchmark's one-tenant configuration.
enum AuthBenchConfig {
    static let host = "bench.felt.localhost"

    static func write(in folder: URL, loops: Int, algorithm: String, dataDirectory: String, urlEnv: String?) throws -> FeltConfiguration {
        let key: String
        if algorithm == "EdDSA" {
            let pem = try Ed25519KeyGenerator.generatePEM().privateKeyPEM
            try Data(pem.utf8).write(to: folder.appendingPathComponent("bench.pem"))
            key = "{ kid: bench-1, alg: EdDSA, key_file: bench.pem }"
        } else {
            try Data((0..<48).map { _ in UInt8.random(in: 33...126) }).write(to: folder.appendingPathComponent("bench.secret"))
            key = "{ kid: bench-1, alg: HS256, secret_file: bench.secret }"
        }
        let database = urlEnv.map { "  url_env: \($0)" } ?? "  embedded:\n    data_dir: \(dataDirectory)"
        let yaml = """
            server:
              listen: { host: 127.0.0.1, port: 0 }
              event_loops: \(loops)
            database:
            \(database)
              max_connections: 16
            tenants:
              - id: bench
                hosts: [\(host)]
                jwt:
                  keys:
                    - \(key)
                limits: { login_rate: 100000/1m, register_rate: 100000/1m }

            """
        let path = folder.appendingPathComponent("felt.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        do { return try FeltConfiguration.load(path: path) } catch { throw AuthBenchError(description: "\(error)") }
    }
}

struct AuthBenchError: Error, CustomStringConvertible {
    let description: String
}
