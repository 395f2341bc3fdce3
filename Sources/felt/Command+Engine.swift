import Foundation
import PokerEngine

/// `felt engine`: JSON-lines interface to the poker engine on stdin/stdout (see docs/engine.md).
let engineCommand = Subcommand(
    name: "engine",
    summary: "JSON-lines interface to the poker engine on stdin/stdout",
    usage: """
    USAGE: felt engine

    Reads one JSON request per line on stdin and answers one JSON line per request on stdout:
      {"cmd":"new","variant":"nlhe","stacks":[200,200,200],"blinds":[1,2],"button":0}
      {"cmd":"act","action":"raise","amount":6}
      {"cmd":"state"}   {"cmd":"view","seat":1}   {"cmd":"record"}
    Errors are answered as {"error":"…","code":"…"}; the session continues.
    See docs/engine.md for every field.
    """,
    run: { arguments in
        guard arguments.isEmpty else {
            printError("felt engine: takes no arguments (requests come on stdin)")
            return 2
        }
        var session = EngineSession()
        while let line = readLine(strippingNewline: true) {
            if line.allSatisfy({ $0 == " " || $0 == "\t" || $0 == "\r" }) { continue }
            let answer = session.handle(line)
            FileHandle.standardOutput.write(Data((answer + "\n").utf8))
        }
        return 0
    }
)
