import Foundation

/// `felt bots`: Run bot players against a server.
let botsCommand = Subcommand(
    name: "bots",
    summary: "Run bot players against a server",
    usage: "USAGE: felt bots",
    run: { _ in
        printError("felt bots: not implemented yet")
        return 2
    }
)
