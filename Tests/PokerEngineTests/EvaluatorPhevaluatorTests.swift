import Foundation
import Testing
import FeltTestSupport

/// Felt's evaluator against phevaluator (PyPI), through `felt bench engine --evaluate-stdin`.
@Suite struct EvaluatorPhevaluatorTests {
    @Test func feltAndPhevaluatorAgreeOnClassesAndOrderingOfRandomHands() async throws {
        let script = TestEnvironment.pythonTests.appendingPathComponent("evaluator_phevaluator.py").path
        let result = try await runProcess("python3", [script, "--felt", TestEnvironment.feltExecutable.path,
                                                "--hands", "20000", "--omaha", "5000", "--seed", "3"])
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("checked 25000 hands"))
        #expect(result.stdout.contains("agree on every hand"))
    }

    @Test func evaluateStdinAnswersEachLineAndRejectsBadLines() async throws {
        let input = """
        Th Jh Qh Kh Ah
        omaha Ah Kc Qd 2s | 3h 7h 9h Jh 4c
        Ah Ah 2c 3d 4s
        Zz 2c 3d 4s 5h
        2c 3d 4s
        omaha Ah Kc | 3h
        7c 5d 4h 3s 2c

        """
        let result = try await runProcess(TestEnvironment.feltExecutable.path, ["bench", "engine", "--evaluate-stdin"],
                                    input: input)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(result.status == 1)
        #expect(lines.count == 7)
        guard lines.count == 7 else { return }
        #expect(lines[0] == "7462")
        #expect(Int(lines[1]).map { (1...1277).contains($0) } == true)  // ace high, no Omaha flush
        #expect(lines[2] == "error: duplicate card Ah")
        #expect(lines[3] == "error: not a card: 'Zz'")
        #expect(lines[4] == "error: a hand has 5 to 7 cards, got 3")
        #expect(lines[5].hasPrefix("error: omaha takes"))
        #expect(lines[6] == "1")
    }
}
