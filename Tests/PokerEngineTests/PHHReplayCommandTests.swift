import Foundation
import Testing
import FeltTestSupport
@testable import PokerEngine

/// `felt replay` run as a real process on the PHH fixtures in `Tests/fixtures/phh`.
/// The expected stacks were worked out by hand from the actions (and agree with the
/// `finishing_stacks` fields of the fixtures, which PokerKit 0.7.7 reproduces too).
@Suite struct PHHReplayCommandTests {
    static let fixtures = TestEnvironment.packageRoot.appendingPathComponent("Tests/fixtures/phh")

    func replay(_ names: String...) async throws -> ProcessResult {
        try await runProcess(TestEnvironment.feltExecutable.path,
                       ["replay"] + names.map { Self.fixtures.appendingPathComponent($0).path }, timeout: 60)
    }

    @Test func replaysASingleHandFileAndPrintsItsFinishingStacks() async throws {
        let result = try await replay("nt-six-max-river-shove.phh")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "hand six-max-1: finishing_stacks = [7950, 11900, 6000, 27650, 9000, 7500]\n")
    }

    @Test func unknownHoleCardsAreTakenFromTheShowdown() async throws {
        let result = try await replay("nt-unknown-hole-cards.phh")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == "hand rail-1: finishing_stacks = [480, 790, 1730]\n")
        let text = try String(contentsOf: Self.fixtures.appendingPathComponent("nt-unknown-hole-cards.phh"), encoding: .utf8)
        let replayed = try PHHReplay.replay(try PHHFile.parse(text)[0].hand)
        let record = try #require(replayed.state.record)
        // Player 1 is seat 0: dealt `????`, shown QdQs at the showdown, which the replay dealt.
        #expect(record.seats[0].holeCards == parseCards("Qd Qs"))
        #expect(record.showdown.map(\.seat) == [0, 2])
    }

    @Test func replaysEveryHandOfAMultiHandFile() async throws {
        let result = try await replay("three-variants.phhs")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.split(separator: "\n") == [
            "hand 1: finishing_stacks = [128, 82, 90]",
            "hand 2: finishing_stacks = [50, 300]",
            "hand 3: finishing_stacks = [488, 132, 502, 718]",
        ])
    }

    @Test func illegalActionStopsWithExitOneNamingHandActionAndReason() async throws {
        let result = try await replay("illegal-raise.phhs")
        #expect(result.status == 1)
        #expect(result.stdout == "hand 1: finishing_stacks = [99, 98, 103]\n")
        #expect(result.stderr.contains("hand 2"))
        #expect(result.stderr.contains("'p1 cbr 8'"))
        #expect(result.stderr.contains("below the minimum raise to 10"))
        #expect(result.stderr.contains("raise_below_minimum"))
    }

    @Test func malformedFileIsRejectedWithItsLineNumber() async throws {
        let result = try await replay("malformed.phh")
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("line 9"), "\(result.stderr)")
    }

    @Test func missingFileAndMissingArgumentAreErrors() async throws {
        let missing = try await replay("no-such-file.phh")
        #expect(missing.status == 1 && missing.stderr.contains("cannot read"))
        let noArgs = try await runProcess(TestEnvironment.feltExecutable.path, ["replay"], timeout: 60)
        #expect(noArgs.status == 2)
    }

    @Test func exportWritesFeltsPHHOfTheReplayedHandsWhichReplaysAlike() async throws {
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("felt-replay-export-\(ProcessInfo.processInfo.processIdentifier).phhs")
        defer { try? FileManager.default.removeItem(at: out) }
        let first = try await runProcess(TestEnvironment.feltExecutable.path,
                                   ["replay", "--export", out.path,
                                    Self.fixtures.appendingPathComponent("three-variants.phhs").path,
                                    Self.fixtures.appendingPathComponent("nt-six-max-river-shove.phh").path],
                                   timeout: 60)
        #expect(first.status == 0, "\(first.stderr)")
        let exported = try PHHFile.parse(String(contentsOf: out, encoding: .utf8))
        #expect(exported.map(\.name) == ["1", "2", "3", "six-max-1"])
        #expect(exported[3].hand.players == ["Ana", "Ben", "Cho", "Dev", "Eli", "Fay"])
        #expect(exported.allSatisfy { $0.hand.field(PHHFeltField.deck) != nil })
        let again = try await runProcess(TestEnvironment.feltExecutable.path, ["replay", out.path], timeout: 60)
        #expect(again.status == 0)
        #expect(again.stdout == first.stdout)
    }

    @Test func fixtureFinishingStacksMatchTheLibraryReplay() async throws {
        // The same files through the library API: the stacks equal each file's finishing_stacks.
        for name in ["nt-six-max-river-shove.phh", "three-variants.phhs", "nt-unknown-hole-cards.phh"] {
            let text = try String(contentsOf: Self.fixtures.appendingPathComponent(name), encoding: .utf8)
            for named in try PHHFile.parse(text) {
                let result = try PHHReplay.replay(named.hand)
                #expect(result.state.isFinished)
                #expect(result.finishingStacks == named.hand.finishingStacks, "\(name) hand \(named.name)")
            }
        }
    }
}
