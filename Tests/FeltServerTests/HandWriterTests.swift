import FeltStore
import FeltTables
import Foundation
import PokerEngine
import Synchronization
import Testing
@testable import FeltServer

/// Group commit of finished hands (`HandWriter`).
@Suite("Ledger group commit")
struct HandWriterTests {
    /// Polls `condition` every 5 ms for up to 10 s.
    static func wait(_ condition: () -> Bool) async throws {
        var waited = 0
        while !condition(), waited < 2000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        #expect(condition())
    }

    @Test func aBatchTakesOneHandPerTableInQueueOrderAndLeavesTheRestQueuedInOrder() {
        var queue = ["t1#1", "t2#1", "t1#2", "t3#1", "t2#2", "t4#1"]
        let table = { (item: String) in String(item.prefix(while: { $0 != "#" })) }
        #expect(HandWriter.takeBatch(from: &queue, max: 10, table: table) == ["t1#1", "t2#1", "t3#1", "t4#1"])
        #expect(queue == ["t1#2", "t2#2"])
        #expect(HandWriter.takeBatch(from: &queue, max: 1, table: table) == ["t1#2"])
        #expect(queue == ["t2#2"])
        var empty: [String] = []
        #expect(HandWriter.takeBatch(from: &empty, max: 4, table: table).isEmpty)
    }

    @Test func onlyErrorsTheServerReportedAreRetriedHandByHand() {
        #expect(HandWriter.wasRolledBack(DatabaseError(.insufficientFunds, "x", sqlState: "23514")))
        #expect(!HandWriter.wasRolledBack(DatabaseError(.databaseUnavailable, "lost", sqlState: "57P01")))
        #expect(!HandWriter.wasRolledBack(DatabaseError(.databaseUnavailable, "lost")))
    }

    /// Two seated players per table, `stack` chips each.
    private func tables(_ f: LedgerFixture, _ ledger: PostgresTableLedger, count: Int, stack: Int) async throws -> [[HandPlayerResult]] {
        var out: [[HandPlayerResult]] = []
        for t in 0..<count {
            var seats: [HandPlayerResult] = []
            for seat in 0..<2 {
                let name = "p\(t)x\(seat)"
                let user = try await f.user(name, balance: Int64(stack))
                try await ledger.buyIn(tableID: "t\(t)", user: UserID(user), amount: stack)
                seats.append(HandPlayerResult(seat: seat, user: UserID(user), username: name, startingStack: stack, finalStack: stack))
            }
            out.append(seats)
        }
        return out
    }

    private func result(_ table: Int, _ number: Int, _ seats: [HandPlayerResult], moving amount: Int) -> HandResult {
        var players = seats
        for i in players.indices { players[i].startingStack = players[i].finalStack }
        players[0].finalStack += amount
        players[1].finalStack -= amount
        let record = HandRecord(rules: GameRules(variant: .nlhe, smallBlind: 5, bigBlind: 10),
                                positions: HandPositions(button: 0, smallBlind: 0, bigBlind: 1), seats: [], forcedBets: [],
                                actions: [], board: [], uncalledReturns: [], pots: [], showdown: [], winners: [], rake: 0,
                                wentToShowdown: false, deck: [], deckSHA256: "")
        return HandResult(tableID: "t\(table)", handNumber: number, record: record, players: players, rake: 0,
                          startedAt: 1_800_000_000_000, finishedAt: 1_800_000_001_000)
    }

    @Test func handsOfManyTablesRecordedAtOnceKeepEachTablesOrderAndEveryChip() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool, groupCommit: true)
        let seated = try await tables(f, ledger, count: 8, stack: 1000)
        let handsPerTable = 6
        let before = f.pool.roundTrips
        let finals = try await withThrowingTaskGroup(of: (Int, [HandPlayerResult]).self) { group in
            for (t, seats) in seated.enumerated() {
                group.addTask {
                    var seats = seats
                    for n in 1...handsPerTable {
                        let hand = result(t, n, seats, moving: (n % 2 == 0 ? -1 : 1) * (10 * t + n))
                        try await ledger.recordHand(hand)
                        seats = hand.players
                    }
                    return (t, seats)
                }
            }
            var out = [Int: [HandPlayerResult]]()
            for try await (t, seats) in group { out[t] = seats }
            return out
        }
        // One statement per batch: never more round trips than hands.
        #expect(f.pool.roundTrips - before <= seated.count * handsPerTable)
        for t in 0..<seated.count {
            let rows = try await f.pool.query("SELECT hand_number FROM \(f.schema.quoted).hand_records WHERE table_id = $1 ORDER BY id",
                                              [.text("t\(t)")])
            #expect(try rows.rows.map { row throws(DatabaseError) in try row.int64("hand_number") } == (1...handsPerTable).map(Int64.init))
            for player in try #require(finals[t]) {
                #expect(try await f.escrow("t\(t)", player.user.rawValue) == Int64(player.finalStack))
            }
        }
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: false)
        #expect(audit.violations.isEmpty, "\(audit.violations)")
        #expect(audit.escrows == Int64(seated.count * 2 * 1000))
    }

    @Test func aHandThatFailsInABatchFailsAloneAndTheOtherTablesHandsCommit() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let ledger = PostgresTableLedger(schema: f.schema, pool: f.pool, groupCommit: true)
        let writer = try #require(ledger.writer)
        let seated = try await tables(f, ledger, count: 4, stack: 1000)
        // Hold table t0's escrow rows, so t0's hand stays in flight while the hands of t1…t3
        // queue behind it; they go out together as the next batch once the lock is released.
        let observed = Observed()
        let blocker = Task {
            try await f.pool.transaction { tx throws(DatabaseError) in
                _ = try await tx.query("SELECT id FROM \(f.schema.quoted).ledger_accounts WHERE kind = 'escrow' AND table_id = 't0' FOR UPDATE")
                observed.set(locked: true)
                var waited = 0
                while writer.pending.queued < 3, waited < 1000 {
                    try? await Task.sleep(for: .milliseconds(5))
                    waited += 1
                }
                observed.set(queued: writer.pending.queued)
            }
        }
        try await Self.wait { observed.locked }
        let first = Task { try await ledger.recordHand(result(0, 1, seated[0], moving: 50)) }
        try await Self.wait { writer.pending == (queued: 0, writing: true) }
        let good1 = Task { try await ledger.recordHand(result(1, 1, seated[1], moving: 70)) }
        // Table t2 claims its second player lost more than his 1000 chips: the database refuses.
        let bad = Task { try await ledger.recordHand(result(2, 1, seated[2], moving: 1500)) }
        let good3 = Task { try await ledger.recordHand(result(3, 1, seated[3], moving: -30)) }
        try await blocker.value
        #expect(observed.queued == 3, "the three hands waited together for the next batch")
        try await first.value
        try await good1.value
        try await good3.value
        let error = await #expect(throws: DatabaseError.self) { try await bad.value }
        #expect(error?.code == .insufficientFunds)

        let recorded = try await f.pool.query("SELECT table_id FROM \(f.schema.quoted).hand_records ORDER BY table_id")
        #expect(try recorded.rows.map { row throws(DatabaseError) in try row.string("table_id") } == ["t0", "t1", "t3"])
        #expect(try await f.escrow("t1", seated[1][0].user.rawValue) == 1070)
        #expect(try await f.escrow("t3", seated[3][1].user.rawValue) == 1030)
        #expect(try await f.escrow("t2", seated[2][0].user.rawValue) == 1000)
        #expect(try await f.escrow("t2", seated[2][1].user.rawValue) == 1000)
        let audit = try await JournalAudit.run(schema: f.schema, pool: f.pool, escrowsMustBeEmpty: false)
        #expect(audit.violations.isEmpty, "\(audit.violations)")
    }
}

/// What the lock-holding transaction saw, read by the test.
final class Observed: Sendable {
    private let state = Mutex<(locked: Bool, queued: Int)>((false, -1))
    func set(locked: Bool) { state.withLock { $0.locked = locked } }
    func set(queued: Int) { state.withLock { $0.queued = queued } }
    var locked: Bool { state.withLock { $0.locked } }
    var queued: Int { state.withLock { $0.queued } }
}
