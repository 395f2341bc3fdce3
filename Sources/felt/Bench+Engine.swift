import Foundation

/// `felt bench engine`.
let benchEngine = Benchmark(name: "engine", summary: "engine benchmark", run: { _ in
    printError("felt bench engine: not implemented yet")
    return 2
})
