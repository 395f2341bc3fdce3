import FeltConfig
import Foundation

/// `felt bench config [--tenants N] [--runs R]`: generates configurations of N tenants ×
/// 5 table types × 10 tables each (one file per tenant, pulled in by an include glob) in a
/// temporary folder and times load + validate; prints the median of R runs.
let benchConfig = Benchmark(name: "config", summary: "Load + validate a generated configuration", run: { arguments in
    let usage = """
    USAGE: felt bench config [--tenants N] [--runs R] [--sequential]

    Generates N tenants x 5 table types x 10 tables per type (default: 100, 1000 and 5000
    tenants) and reports the median load + validate time of R runs (default 7): wall clock
    (median and minimum) and process CPU time (median). --sequential loads on one thread.
    Build with `swift build -c release` and run `.build/release/felt bench config`.
    """
    if arguments.contains("--help") || arguments.contains("-h") { print(usage); return 0 }
    let options: ParsedOptions
    do { options = try ParsedOptions(arguments, valued: ["tenants", "runs"], flags: ["sequential"]) } catch {
        printError("felt bench config: \(error)\n\n\(usage)")
        return 2
    }
    var sizes = [100, 1000, 5000]
    if let text = options.values["tenants"] {
        guard let count = Int(text), count > 0, count <= 20_000 else {
            printError("felt bench config: --tenants needs a number from 1 to 20000")
            return 2
        }
        sizes = [count]
    }
    var runs = 7
    if let text = options.values["runs"] {
        guard let count = Int(text), count > 0, count <= 1000 else {
            printError("felt bench config: --runs needs a number from 1 to 1000")
            return 2
        }
        runs = count
    }
    guard options.positional.isEmpty else {
        printError("felt bench config: unexpected argument \(options.positional[0])\n\n\(usage)")
        return 2
    }
    #if DEBUG
    print("warning: this is a debug build; measure with `swift build -c release` and .build/release/felt")
    #endif
    print("felt bench config: load + validate, median of \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores, "
          + (options.flags.contains("sequential") ? "sequential" : "parallel"))
    print("tenants  table types  tables    files  bytes       median ms  min ms   cpu ms   ms per 1000 tenants")
    for tenants in sizes {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-bench-config-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes: Int
        do { bytes = try writeBenchConfiguration(tenants: tenants, to: folder) } catch {
            printError("felt bench config: cannot write the generated configuration: \(error)")
            return 1
        }
        let root = folder.appendingPathComponent("felt.yaml").path
        var timings: [Double] = []
        var cpuTimings: [Double] = []
        var last: FeltConfiguration?
        for _ in 0..<runs {
            let cpuStart = processCPUMilliseconds()
            let start = ContinuousClock.now
            do throws(ConfigErrors) {
                last = try FeltConfiguration.load(path: root, environment: [:],
                                                  limits: ConfigLimits(parallel: !options.flags.contains("sequential")))
            } catch {
                printError("felt bench config: the generated configuration is invalid:\n\(error)")
                return 1
            }
            let elapsed = ContinuousClock.now - start
            timings.append(Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15)
            cpuTimings.append(processCPUMilliseconds() - cpuStart)
        }
        timings.sort()
        cpuTimings.sort()
        let median = timings[timings.count / 2]
        let configuration = last
        let tables = configuration?.tenants.reduce(0) { $0 + $1.tables.count } ?? 0
        let types = configuration?.tenants.reduce(0) { $0 + $1.tableTypes.count } ?? 0
        let line = [String(tenants).padding(toLength: 9, withPad: " ", startingAt: 0),
                    String(types).padding(toLength: 13, withPad: " ", startingAt: 0),
                    String(tables).padding(toLength: 10, withPad: " ", startingAt: 0),
                    String(configuration?.files.count ?? 0).padding(toLength: 7, withPad: " ", startingAt: 0),
                    String(bytes).padding(toLength: 12, withPad: " ", startingAt: 0),
                    String(format: "%.1f", median).padding(toLength: 11, withPad: " ", startingAt: 0),
                    String(format: "%.1f", timings[0]).padding(toLength: 9, withPad: " ", startingAt: 0),
                    String(format: "%.1f", cpuTimings[cpuTimings.count / 2]).padding(toLength: 9, withPad: " ", startingAt: 0),
                    String(format: "%.1f", median * 1000 / Double(tenants))]
        print(line.joined())
    }
    return 0
})

/// Writes `felt.yaml`, `secrets/` and one file per tenant under `tenants/`; returns the YAML byte count.
func writeBenchConfiguration(tenants: Int, to folder: URL) throws -> Int {
    let manager = FileManager.default
    try manager.createDirectory(at: folder.appendingPathComponent("tenants"), withIntermediateDirectories: true)
    try manager.createDirectory(at: folder.appendingPathComponent("secrets"), withIntermediateDirectories: true)
    try Data("bench-only-hs256-secret-0123456789abcdef0123456789abcdef\n".utf8)
        .write(to: folder.appendingPathComponent("secrets/hs256.secret"))
    let root = """
    server:
      listen: { host: 127.0.0.1, port: 8080 }
      base_domain: bench.localhost
    database:
      embedded: { data_dir: .felt/bench }
    defaults:
      jwt: { access_ttl: 15m, refresh_ttl: 30d }
      wallet: { starting_balance: 10000, chip_name: chips }
      limits: { max_tables: 100, max_seated_players: 1000, login_rate: 10/1m, register_rate: 5/1h }
      table_type:
        seats: 9
        action_timeout: 30s
        time_bank: 60s
        rake: { percent: 5, cap: 30, no_flop_no_drop: true }
    include:
      - tenants/*.yaml

    """
    var total = root.utf8.count
    try Data(root.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
    let variants = ["nlhe", "nlhe", "plo", "flhe", "nlhe"]
    for index in 0..<tenants {
        let id = "t\(index)"
        var text = """
        tenants:
          - id: \(id)
            name: Bench Club \(index)
            hosts:
              - \(id).bench.localhost
              - club\(index).example.test
            jwt:
              issuer: https://\(id).bench.localhost
              keys:
                - kid: \(id)-k1
                  alg: HS256
                  state: active
                  secret_file: ../secrets/hs256.secret
            wallet:
              starting_balance: \(10_000 + index)
            table_types:

        """
        for type in 0..<5 {
            let small = (type + 1) * 5
            text += """
                  - id: type-\(type)
                    name: Table type \(type)
                    variant: \(variants[type])
                    blinds: { small: \(small), big: \(small * 2) }
                    ante: { type: \(type == 4 ? "per_player" : "none")\(type == 4 ? ", amount: 1" : "") }
                    buy_in: { min: \(small * 40), max: \(small * 200) }
                    seats: \(type == 2 ? 6 : 9)
                    action_timeout: \(20 + type)s

            """
        }
        text += "    tables:\n"
        for type in 0..<5 {
            for table in 1...10 {
                text += "      - { id: t\(type)-\(table), type: type-\(type), name: Table \(type)-\(table) }\n"
            }
        }
        total += text.utf8.count
        try Data(text.utf8).write(to: folder.appendingPathComponent("tenants/\(id).yaml"))
    }
    return total
}

/// CPU time used by the whole process so far, in milliseconds.
func processCPUMilliseconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) * 1000 + Double(time.tv_nsec) / 1e6
}
