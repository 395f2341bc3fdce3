import Foundation

/// `felt serve`: Run the server (HTTP + WebSocket front, tables, database).
let serveCommand = Subcommand(
    name: "serve",
    summary: "Run the server (HTTP + WebSocket front, tables, database)",
    usage: "USAGE: felt serve",
    run: { _ in
        printError("felt serve: not implemented yet")
        return 2
    }
)
