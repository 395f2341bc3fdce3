import Foundation
import Testing
import FeltTestSupport

/// Drives `felt engine` as a process, as bots and the PokerKit oracle do.
@Suite struct HandEngineCommandTests {
    func run(_ lines: [String]) async throws -> [[String: Any]] {
        let result = try await runProcess(TestEnvironment.feltExecutable.path, ["engine"],
                                    input: lines.joined(separator: "\n") + "\n", timeout: 60)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        return result.stdout.split(separator: "\n").map { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] ?? [:]
        }
    }

    @Test func playsAHandOverJSONLinesAndReportsErrorsWithoutDying() async throws {
        let answers = try await run([
            #"{"cmd":"new","variant":"nlhe","stacks":[100,100,100],"blinds":[1,2],"button":0,"cards":{"hole":[["Ah","Kd"],["7c","2d"],["Qh","Qd"]],"board":["As","9c","5d","3h","Jc"]},"id":"h1"}"#,
            #"{"cmd":"act","action":"raise","amount":5}"#,
            #"{"cmd":"act","action":"raise","amount":6}"#,
            "not json",
            #"{"cmd":"act","action":"fold"}"#,
            #"{"cmd":"act","action":"call","seat":0}"#,
            #"{"cmd":"act","action":"call"}"#,
            #"{"cmd":"record"}"#,
        ])
        #expect(answers.count == 8)
        let first = answers[0]
        #expect(first["id"] as? String == "h1")
        #expect(first["actor"] as? Int == 0)
        let legal = try #require(first["legal"] as? [String: Any])
        #expect(legal["min_raise_to"] as? Int == 4 && legal["max_raise_to"] as? Int == 100 && legal["call_amount"] as? Int == 2)
        #expect(answers[1]["actor"] as? Int == 1)
        #expect(answers[2]["code"] as? String == "raise_below_minimum")
        #expect(answers[2]["error"] as? String == "raise to 6 is below the minimum raise to 8")
        #expect(answers[3]["code"] as? String == "bad_json")
        #expect(answers[5]["code"] as? String == "not_your_turn")
        let last = answers[6]
        #expect(last["street"] as? String == "flop")
        #expect(last["bets"] as? [Int] == [0, 0, 0])
        #expect((last["pots"] as? [[String: Any]])?.first?["amount"] as? Int == 11)
        #expect(answers[7]["code"] as? String == "hand_in_progress")
    }

    @Test func finishedHandReportsWinnersPotsAndRecord() async throws {
        let answers = try await run([
            #"{"cmd":"new","stacks":[50,100],"blinds":[1,2],"button":0,"cards":{"hole":[["Ah","Ad"],["7c","2d"]],"board":["Kh","Qs","9c","5d","3h"]}}"#,
            #"{"cmd":"act","action":"all_in"}"#,
            #"{"cmd":"act","action":"call"}"#,
            #"{"cmd":"record"}"#,
            #"{"cmd":"view","seat":1}"#,
        ])
        let end = answers[2]
        #expect(end["status"] as? String == "finished")
        #expect(end["stacks"] as? [Int] == [100, 50])
        #expect(end["payouts"] as? [Int] == [100, 0])
        let pots = try #require(end["final_pots"] as? [[String: Any]])
        #expect(pots.count == 1 && pots[0]["amount"] as? Int == 100 && pots[0]["eligible"] as? [Int] == [0, 1])
        #expect((end["showdown"] as? [[String: Any]])?.count == 2)
        let record = try #require(answers[3]["record"] as? [String: Any])
        #expect((record["deckSHA256"] as? String)?.count == 64)
        #expect(record["deckSHA256"] as? String == end["deck_sha256"] as? String)
        let view = try #require(answers[4]["view"] as? [String: Any])
        #expect(view["viewer"] as? Int == 1)
    }

    @Test func badRequestsGetClearErrors() async throws {
        let answers = try await run([
            #"{"cmd":"act","action":"call"}"#,
            #"{"cmd":"new","stacks":[100]}"#,
            #"{"cmd":"new","stacks":[100,100],"deck":["Ah","Zz"]}"#,
            #"{"cmd":"new","stacks":[100,100],"variant":"stud"}"#,
            #"{"cmd":"new","stacks":[100,100]}"#,
            #"{"cmd":"act","action":"dance"}"#,
            #"{"cmd":"act","action":"raise"}"#,
            #"{"cmd":"fly"}"#,
        ])
        #expect(answers.map { $0["code"] as? String } == [
            "no_hand", "invalid_setup", "bad_card", "bad_request", nil, "bad_request", "bad_request", "bad_request",
        ])
        #expect(answers[1]["error"] as? String == "invalid hand setup: a table has 2 to 10 seats, got 1")
    }
}
