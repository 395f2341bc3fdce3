import Foundation

/// `felt check-config`: Validate a configuration and print a summary.
let checkConfigCommand = Subcommand(
    name: "check-config",
    summary: "Validate a configuration and print a summary",
    usage: "USAGE: felt check-config",
    run: { _ in
        printError("felt check-config: not implemented yet")
        return 2
    }
)
