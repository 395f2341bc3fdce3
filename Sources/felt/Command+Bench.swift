import Foundation

/// One `felt bench <name>` benchmark. Each lives in its own `Bench+Name.swift` file.
struct Benchmark: Sendable {
    let name: String
    let summary: String
    let run: @Sendable ([String]) async -> Int32
}

let benchmarks: [Benchmark] = [benchConfig, benchEngine, benchHTTP, benchWS, benchAuth, benchTables, benchLedger]

/// `felt bench <name>`: release-build benchmarks; each prints its figures and the
/// command that reproduces them.
let benchCommand = Subcommand(
    name: "bench",
    summary: "Run a benchmark (" + benchmarks.map(\.name).joined(separator: ", ") + ")",
    usage: "USAGE: felt bench <" + benchmarks.map(\.name).joined(separator: "|") + "> [options]\n\nBuild with `swift build -c release` and run `.build/release/felt bench NAME --help` for each benchmark's options.",
    run: { arguments in
        guard let name = arguments.first, let bench = benchmarks.first(where: { $0.name == name }) else {
            printError("felt bench: name one of: " + benchmarks.map(\.name).joined(separator: ", "))
            return 2
        }
        return await bench.run(Array(arguments.dropFirst()))
    }
)
