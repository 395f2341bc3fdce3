import Foundation

/// `felt bench config`.
let benchConfig = Benchmark(name: "config", summary: "config benchmark", run: { _ in
    printError("felt bench config: not implemented yet")
    return 2
})
