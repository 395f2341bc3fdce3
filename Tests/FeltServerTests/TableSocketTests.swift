import FeltNet
import FeltTables
import PokerEngine
import Testing
@testable import FeltServer

@Suite("Table WebSocket pieces")
struct TableSocketTests {
    @Test func theMessageBudgetAllowsABurstThenRefillsAtTheRate() {
        var budget = MessageBudget(count: 10, periodSeconds: 1)
        var burst: [Bool] = []
        for _ in 0..<15 { burst.append(budget.admit(now: 100)) }
        #expect(burst.filter { $0 }.count == 10)
        let early = budget.admit(now: 100.04)    // 0.4 of a token back
        let first = budget.admit(now: 100.25)    // 2.5 tokens by now
        let second = budget.admit(now: 100.25)
        let third = budget.admit(now: 100.25)
        #expect(!early && first && second && !third)
        var later: [Bool] = []
        for _ in 0..<12 { later.append(budget.admit(now: 200)) }
        #expect(later.filter { $0 }.count == 10)  // never more than the burst
    }

    @Test func tableRefusalsMapToTheDocumentedHTTPStatuses() {
        let cases: [(TableError, Int, String)] = [
            (.tableFull, 409, "table_full"), (.alreadySeated, 409, "already_seated"),
            (.invalidBuyIn(amount: 1, min: 2, max: 3), 400, "invalid_buy_in"),
            (.insufficientChips(need: 1000, have: 500), 400, "insufficient_chips"),
            (.wrongPassphrase, 403, "wrong_passphrase"), (.notSeated, 409, "not_seated"),
        ]
        for (error, status, code) in cases {
            let http = HTTPError(error)
            #expect(http.status == status && http.code == code && http.message == error.message)
        }
    }
}

