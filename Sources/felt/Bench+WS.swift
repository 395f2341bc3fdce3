import Foundation

/// `felt bench ws`.
let benchWS = Benchmark(name: "ws", summary: "ws benchmark", run: { _ in
    printError("felt bench ws: not implemented yet")
    return 2
})
