import Foundation
import PokerEngine

/// `felt replay FILE…`: replays PHH hand histories (`.phh`, `.phhs`) through the engine and
/// prints each hand's finishing stacks (PHH player order). An action the engine rejects
/// stops the replay with exit status 1, naming the hand, the action and the reason.
let replayCommand = Subcommand(
    name: "replay",
    summary: "Replay PHH hand histories through the engine",
    usage: """
    USAGE: felt replay [--export OUT.phhs] FILE [FILE…]

    Replays every hand of each PHH file (.phh: one hand; .phhs: hands under [1], [2], …
    headers) through the engine and prints, per hand:
      hand NAME: finishing_stacks = [S1, S2, …]
    in PHH player order (a partial history prints the stacks so far, marked "(unfinished)").
    --export writes every replayed, finished hand as Felt exports it (a .phhs file).
    Exit status: 0 when every hand replays, 1 when a file cannot be read or parsed or an
    action is illegal (the message names the hand, the action and the reason), 2 on usage errors.
    """,
    run: { arguments in
        let options: ParsedOptions
        do throws(UsageError) {
            options = try ParsedOptions(arguments, valued: ["export"])
        } catch {
            printError("felt replay: \(error)")
            return 2
        }
        guard !options.positional.isEmpty else {
            printError("felt replay: give at least one .phh or .phhs file")
            return 2
        }
        var exported: [PHHHand] = []
        for path in options.positional {
            guard let data = FileManager.default.contents(atPath: path) else {
                printError("felt replay: cannot read \(path)")
                return 1
            }
            guard let text = String(data: data, encoding: .utf8) else {
                printError("felt replay: \(path) is not UTF-8 text")
                return 1
            }
            let hands: [PHHFile.NamedHand]
            do throws(PHHError) {
                hands = try PHHFile.parse(text)
            } catch {
                printError("felt replay: \(path): \(error.description) [\(error.code)]")
                return 1
            }
            for named in hands {
                do throws(PHHReplay.Failure) {
                    let result = try PHHReplay.replay(named.hand)
                    let stacks = result.finishingStacks.map(String.init).joined(separator: ", ")
                    let suffix = result.state.isFinished ? "" : " (unfinished)"
                    print("hand \(named.name): finishing_stacks = [\(stacks)]\(suffix)")
                    if let record = result.state.record {
                        exported.append(PHHHand(record: record, hand: named.hand.hand ?? .string(named.name),
                                                playerNames: Dictionary(uniqueKeysWithValues: zip(
                                                    result.input.playerSeats, named.hand.players ?? []))))
                    }
                } catch {
                    printError("felt replay: \(path): hand \(named.name): \(error.description) [\(error.code)]")
                    return 1
                }
            }
        }
        if let out = options.values["export"] {
            do {
                try PHHFile.multiHandText(exported).write(toFile: out, atomically: true, encoding: .utf8)
            } catch {
                printError("felt replay: cannot write \(out): \(error.localizedDescription)")
                return 1
            }
        }
        return 0
    }
)
