import FeltStore
import FeltTables
import Foundation
import PokerEngine
import Testing
@testable import FeltServer

@Suite("PostgreSQL table ledger")
struct LedgerEscrowTests {
    static func settings(_ id: String = "t1", rakePercentBasis: Int = 500) -> TableSettings {
        TableSettings(tableID: id, name: id,
                      rules: GameRules(variant: .nlhe, smallBlind: 5, bigBlind: 10,
                                       rake: RakeRule(basisPoints: rakePercentBasis, capPerHand: 30, noFlopNoDrop: false)),
                      buyInMin: 100, buyInMax: 2000, seatCount: 6, handPauseMillis: 60_000)
    }

    @Test func buyInMovesWalletToEscrowAndAShortWalletMovesNothing() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool)
        let poor = try await f.user("poor", balance: 500)
        await #expect(throws: TableError.insufficientChips(need: 1000, have: 500)) {
            try await ledger.buyIn(tableID: "t1", user: UserID(poor), amount: 1000)
        }
        #expect(TableError.insufficientChips(need: 1000, have: 500).message == "Insufficient chips: need 1000, have 500")
        #expect(try await f.wallet(poor) == 500)
        #expect(try await f.escrow("t1", poor) == 0)
        try await ledger.buyIn(tableID: "t1", user: UserID(poor), amount: 300)
        #expect(try await f.wallet(poor) == 200)
        #expect(try await f.escrow("t1", poor) == 300)
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: false)
        #expect(audit.violations.isEmpty)
        #expect(audit.openEscrows.count == 1)
    }

    @Test func concurrentBuyInsNeverOverdrawTheWallet() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool)
        let user = try await f.user("racer", balance: 1000)
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for i in 0..<6 {
                group.addTask { (try? await ledger.buyIn(tableID: "t\(i)", user: UserID(user), amount: 400)) != nil }
            }
            var ok = 0
            for await success in group where success { ok += 1 }
            return ok
        }
        #expect(outcomes == 2)
        #expect(try await f.wallet(user) == 200)
    }

    @Test func aPlayedHandMovesResultsAndRakeAndRecordsTheHandThenCashOutsEmptyTheEscrows() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool)
        let a = try await f.user("alice", balance: 5000)
        let b = try await f.user("bob", balance: 5000)
        let clock = ManualTableClock(start: 1_800_000_000_000)
        let table = try TableActor(settings: Self.settings(), ledger: ledger, clock: clock, automaticTimers: false)
        #expect(try await table.join(user: UserID(a), username: "alice", buyIn: 1000).get().seat == 0)
        #expect(try await table.join(user: UserID(b), username: "bob", buyIn: 1000).get().seat == 1)
        await table.tick()
        var state = await table.currentState()
        #expect(state.isHandRunning)
        // Check/call down to the showdown.
        var guardSteps = 0
        while state.isHandRunning, guardSteps < 50 {
            guardSteps += 1
            guard let seat = state.seatToAct, let user = state.seats[seat]?.user else { break }
            if case .failure = await table.act(user: user, action: .check) { _ = await table.act(user: user, action: .call) }
            state = await table.currentState()
        }
        await table.drainLedger()
        state = await table.currentState()
        let rake = state.totalRake
        #expect(rake > 0)
        let stackA = try #require(state.seats[0]).stack
        let stackB = try #require(state.seats[1]).stack
        #expect(stackA + stackB + rake == 2000)
        #expect(try await f.escrow("t1", a) == Int64(stackA))
        #expect(try await f.escrow("t1", b) == Int64(stackB))
        #expect(try await f.house() == Int64(rake))
        #expect(try await f.count("hand_records") == 1)
        #expect(try await f.count("hand_participants") == 2)

        let hands = try await HandHistory.recent(schema: f.schema, pool: f.pool, table: "t1", user: a, before: nil, limit: 10)
        #expect(hands.count == 1)
        let handID = try #require(hands.first?.id)
        let visible = try await HandHistory.hand(schema: f.schema, pool: f.pool, id: handID, user: a).get()
        #expect(visible.record.deck.isEmpty)
        #expect(visible.record.seats[0].holeCards.count == 2)
        let stranger = try await f.user("stranger", balance: 0)
        guard case .failure(.notDealtIn) = try await HandHistory.hand(schema: f.schema, pool: f.pool, id: handID, user: stranger) else {
            Issue.record("a player not dealt in read the hand")
            return
        }
        let phh = HandHistory.phh(visible)
        #expect(phh.contains("variant = \"NT\""))
        #expect(!phh.contains("_deck ="))

        #expect(try await table.leave(user: UserID(a)).get().returned == stackA)
        #expect(try await table.leave(user: UserID(b)).get().returned == stackB)
        #expect(try await f.wallet(a) == 4000 + Int64(stackA))
        #expect(try await f.wallet(b) == 4000 + Int64(stackB))
        #expect(try await f.wallet(a) + f.wallet(b) + f.house() == 10_000)
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: true)
        #expect(audit.violations.isEmpty, "\(audit.violations)")
        #expect(audit.wallets + audit.house == audit.issued)
    }

    @Test func recoveryReturnsEveryOpenEscrowOnceAndTheAuditSeesTheDifference() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool)
        let a = try await f.user("alice", balance: 3000)
        let b = try await f.user("bob", balance: 3000)
        try await ledger.buyIn(tableID: "t1", user: UserID(a), amount: 1000)
        try await ledger.buyIn(tableID: "t2", user: UserID(a), amount: 500)
        try await ledger.buyIn(tableID: "t1", user: UserID(b), amount: 2000)
        let stopped = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: true)
        #expect(stopped.violations.count == 3)
        #expect(stopped.violations.allSatisfy { $0.contains("escrow") })

        let first = try await EscrowRecovery.returnOpenEscrows(schema: f.schema, pool: f.pool)
        #expect(first == EscrowRecovery.Summary(escrows: 3, chips: 3500))
        #expect(try await f.wallet(a) == 3000)
        #expect(try await f.wallet(b) == 3000)
        let second = try await EscrowRecovery.returnOpenEscrows(schema: f.schema, pool: f.pool)
        #expect(second == EscrowRecovery.Summary(escrows: 0, chips: 0))
        let clean = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: true)
        #expect(clean.violations.isEmpty)
        let entries = try await WalletQueries.entries(schema: f.schema, pool: f.pool, user: a, before: nil, limit: 2)
        #expect(entries.map(\.kind) == ["escrow_return", "escrow_return"])
        let older = try await WalletQueries.entries(schema: f.schema, pool: f.pool, user: a, before: entries.last?.id, limit: 10)
        #expect(older.map(\.kind) == ["buy_in", "buy_in", "starting_balance"])
        #expect(older.map(\.amount) == [-500, -1000, 3000])
    }

    @Test func theAuditReportsAnEntryThatDoesNotBalance() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let a = try await f.user("alice", balance: 100)
        // An entry with no postings is what a broken writer would leave behind.
        _ = try await f.pool.query("INSERT INTO \(f.schema.quoted).journal_entries (kind) VALUES ('broken')")
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: true)
        #expect(audit.violations.count == 1)
        #expect(audit.violations.first?.contains("no postings") == true)
        #expect(try await f.wallet(a) == 100)
    }

    @Test func aTableWhoseHandCannotBeRecordedStopsAndReturnsItsEscrows() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool)
        let a = try await f.user("alice", balance: 5000)
        let b = try await f.user("bob", balance: 5000)
        // Every hand record is refused from now on: the hand's transaction rolls back whole.
        _ = try await f.pool.query("ALTER TABLE \(f.schema.quoted).hand_records ADD CONSTRAINT refuse_all CHECK (false) NOT VALID")
        let schema = f.schema, pool = f.pool
        let table = try TableActor(settings: Self.settings(), ledger: ledger, clock: ManualTableClock(start: 1_800_000_000_000),
                                   automaticTimers: false, onFailure: { failure in
                                       LiveTables.returnEscrowsOfStoppedTable(schema: schema, pool: pool, table: failure.tableID,
                                                                              tenant: "club", log: .silent)
                                   })
        _ = await table.join(user: UserID(a), username: "alice", buyIn: 1000)
        _ = await table.join(user: UserID(b), username: "bob", buyIn: 1000)
        await table.tick()
        var state = await table.currentState()
        let first = try #require(state.seatToAct.flatMap { state.seats[$0]?.user })
        _ = await table.act(user: first, action: .fold)
        await table.drainLedger()
        state = await table.currentState()
        #expect(state.stoppedReason != nil)
        #expect(try await f.count("hand_records") == 0)
        var waited = 0
        while try await f.wallet(a) + f.wallet(b) != 10_000, waited < 100 {
            try await Task.sleep(for: .milliseconds(50))
            waited += 1
        }
        #expect(try await f.wallet(a) == 5000)
        #expect(try await f.wallet(b) == 5000)
        #expect(await table.leave(user: UserID(a)) == .failure(.tableClosed(reason: state.stoppedReason ?? "")))
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: true)
        #expect(audit.violations.isEmpty, "\(audit.violations)")
    }

}
