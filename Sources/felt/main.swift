import Foundation

// Entry point of the `felt` command-line tool. Each subcommand lives in its own
// `Command+Name.swift` file; this file only dispatches.

/// A subcommand of `felt`.
struct Subcommand: Sendable {
    let name: String
    let summary: String
    let usage: String
    let run: @Sendable ([String]) async -> Int32
}

let subcommands: [Subcommand] = [
    serveCommand,
    checkConfigCommand,
    auditCommand,
    replayCommand,
    engineCommand,
    benchCommand,
    botsCommand,
]

func printUsage() {
    var text = """
    felt: a multi-tenant poker server

    USAGE: felt <command> [options]

    COMMANDS:

    """
    for command in subcommands {
        text += "  " + command.name.padding(toLength: 14, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\nRun `felt <command> --help` for a command's options.\n"
    print(text, terminator: "")
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, first != "--help", first != "-h", first != "help" else {
    printUsage()
    exit(arguments.isEmpty ? 2 : 0)
}
guard let command = subcommands.first(where: { $0.name == first }) else {
    FileHandle.standardError.write(Data("felt: unknown command '\(first)'\n\n".utf8))
    printUsage()
    exit(2)
}
let rest = Array(arguments.dropFirst())
// `felt CMD --help` prints the command's usage; later `--help`s belong to the command
// (e.g. `felt bench http --help` is answered by that benchmark).
if rest.first == "--help" || rest.first == "-h" {
    print(command.usage)
    exit(0)
}
let status = await command.run(rest)
exit(status)
