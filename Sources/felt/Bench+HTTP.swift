import Foundation

/// `felt bench http`.
let benchHTTP = Benchmark(name: "http", summary: "http benchmark", run: { _ in
    printError("felt bench http: not implemented yet")
    return 2
})
