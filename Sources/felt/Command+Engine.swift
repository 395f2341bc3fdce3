import Foundation

/// `felt engine`: JSON-lines interface to the poker engine on stdin/stdout.
let engineCommand = Subcommand(
    name: "engine",
    summary: "JSON-lines interface to the poker engine on stdin/stdout",
    usage: "USAGE: felt engine",
    run: { _ in
        printError("felt engine: not implemented yet")
        return 2
    }
)
