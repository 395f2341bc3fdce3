import Foundation

/// `felt bench auth`.
let benchAuth = Benchmark(name: "auth", summary: "auth benchmark", run: { _ in
    printError("felt bench auth: not implemented yet")
    return 2
})
