import Foundation

/// `felt replay`: Replay PHH hand histories through the engine.
let replayCommand = Subcommand(
    name: "replay",
    summary: "Replay PHH hand histories through the engine",
    usage: "USAGE: felt replay",
    run: { _ in
        printError("felt replay: not implemented yet")
        return 2
    }
)
