import Foundation

/// `felt bench`: Run a benchmark (config, engine, http, ws, auth).
let benchCommand = Subcommand(
    name: "bench",
    summary: "Run a benchmark (config, engine, http, ws, auth)",
    usage: "USAGE: felt bench",
    run: { _ in
        printError("felt bench: not implemented yet")
        return 2
    }
)
