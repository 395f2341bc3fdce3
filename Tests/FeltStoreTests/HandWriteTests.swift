import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

/// `TenantStore.recordHands`: a hand's journal entry, postings, record and participants in one
/// statement.
@Suite struct HandWriteTests {
    /// Users with `escrow` chips each at table `table` (issuance → wallet → escrow).
    private func seated(_ fixture: MigratedStore, _ names: [String], table: String, escrow: Int64)
        async throws -> [(user: Int64, escrow: Int64)] {
        let aces = fixture.schemas[0]
        var out: [(Int64, Int64)] = []
        for name in names {
            let user = try await fixture.store.createUser(tenant: aces, username: name, email: nil, passwordHash: "h",
                                                          startingBalance: escrow)
            let account = try await fixture.pool.transaction { tx throws(DatabaseError) -> Int64 in
                let id = try await fixture.store.escrowAccount(tenant: aces, tableID: table, userID: user.id, in: tx)
                _ = try await fixture.store.postEntry(tenant: aces, kind: "buy_in", postings: [
                    Posting(account: user.walletAccountID, amount: -escrow), Posting(account: id, amount: escrow),
                ], in: tx)
                return id
            }
            out.append((user.id, account))
        }
        return out
    }

    private func hand(_ table: String, _ number: Int, rake: Int64, _ players: [(user: Int64, from: Int64, to: Int64)]) -> HandWrite {
        HandWrite(tableID: table, handNumber: number, rake: rake, record: #"{"hand":"\#(table)#\#(number)","q":"a \"quoted\" \\ text"}"#,
                  startedAt: 1_800_000_000_000, finishedAt: 1_800_000_020_000,
                  participants: players.enumerated().map { seat, p in
                      HandWrite.Participant(userID: p.user, seat: seat, username: "u\(p.user)", startingStack: p.from, finalStack: p.to)
                  })
    }

    private func balance(_ fixture: MigratedStore, _ account: Int64) async throws -> Int64 {
        try await fixture.store.balance(tenant: fixture.schemas[0], account: account)
    }

    @Test func aHandIsOneStatementThatPostsEachChangedEscrowAndTheRakeAsOneBalancedEntryWithItsRecord() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let p = try await seated(fixture, ["ann", "ben", "cat"], table: "t1", escrow: 1000)
        let house = try await fixture.pool.transaction { tx throws(DatabaseError) in try await fixture.store.systemAccount(.house, tenant: aces, in: tx) }
        let before = fixture.pool.roundTrips
        // ann wins 190 of ben's 100 and cat's 100 after 10 rake; nobody else changes.
        let ids = try await fixture.store.recordHands(tenant: aces, [
            hand("t1", 7, rake: 10, [(p[0].user, 1000, 1190), (p[1].user, 1000, 900), (p[2].user, 1000, 900)]),
        ])
        #expect(fixture.pool.roundTrips - before == 1)
        #expect(ids.count == 1)
        #expect(try await balance(fixture, p[0].escrow) == 1190)
        #expect(try await balance(fixture, p[1].escrow) == 900)
        #expect(try await balance(fixture, p[2].escrow) == 900)
        #expect(try await balance(fixture, house) == 10)

        let record = try #require(try await fixture.pool.query("""
            SELECT r.table_id, r.hand_number, r.rake, r.record, r.entry_id, r.finished_at, e.kind, e.reference
            FROM tenant_aces.hand_records r JOIN tenant_aces.journal_entries e ON e.id = r.entry_id WHERE r.id = $1
            """, [.int(ids[0])]).first)
        #expect(try record.string("kind") == "hand")
        #expect(try record.string("reference") == "table:t1#7")
        #expect(try record.int64("hand_number") == 7)
        #expect(try record.int64("rake") == 10)
        #expect(try record.string("record") == #"{"hand":"t1#7","q":"a \"quoted\" \\ text"}"#)
        #expect(try record.date("finished_at") == Date(timeIntervalSince1970: 1_800_000_020))
        let postings = try await fixture.pool.query("SELECT account_id, amount FROM tenant_aces.postings WHERE entry_id = $1 ORDER BY id",
                                                    [.int(try record.int64("entry_id"))])
        let legs = try postings.rows.map { row throws(DatabaseError) in [try row.int64("account_id"), try row.int64("amount")] }
        // The same legs the transaction of separate statements posted, in account order.
        #expect(legs == [[house, 10], [p[0].escrow, 190], [p[1].escrow, -100], [p[2].escrow, -100]])
        let people = try await fixture.pool.query("""
            SELECT user_id, seat, username, starting_stack, final_stack FROM tenant_aces.hand_participants WHERE hand_id = $1 ORDER BY seat
            """, [.int(ids[0])])
        #expect(try people.rows.map { row throws(DatabaseError) in try row.int64("final_stack") } == [1190, 900, 900])
        #expect(try people.rows.map { row throws(DatabaseError) in try row.string("username") } == p.map { "u\($0.user)" })
        #expect(try await fixture.store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func severalTablesHandsShareOneStatementAndAHandWithoutChipMovementsHasNoEntry() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let a = try await seated(fixture, ["ann", "ben"], table: "a", escrow: 500)
        let b = try await seated(fixture, ["cat", "dan"], table: "b", escrow: 500)
        let entriesBefore = try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries")
        let before = fixture.pool.roundTrips
        let ids = try await fixture.store.recordHands(tenant: aces, [
            hand("a", 1, rake: 0, [(a[0].user, 500, 520), (a[1].user, 500, 480)]),
            hand("b", 1, rake: 0, [(b[0].user, 500, 500), (b[1].user, 500, 500)]),
            hand("a", 2, rake: 2, [(a[0].user, 520, 478), (a[1].user, 480, 520)]),
        ])
        #expect(fixture.pool.roundTrips - before == 1)
        #expect(ids.count == 3 && ids[0] < ids[1] && ids[1] < ids[2])
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries") == entriesBefore + 2)
        let quiet = try #require(try await fixture.pool.query("SELECT entry_id FROM tenant_aces.hand_records WHERE id = $1",
                                                              [.int(ids[1])]).first)
        #expect(try quiet.isNull("entry_id"))
        #expect(try await balance(fixture, a[0].escrow) == 478)
        #expect(try await balance(fixture, a[1].escrow) == 520)
        #expect(try await balance(fixture, b[0].escrow) == 500)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.hand_participants") == 6)
        #expect(try await fixture.store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func aHandThatWouldOverdrawAnEscrowFailsTheWholeStatementAndWritesNothing() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let a = try await seated(fixture, ["ann", "ben"], table: "a", escrow: 100)
        let b = try await seated(fixture, ["cat", "dan"], table: "b", escrow: 100)
        let entriesBefore = try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries")
        // Table b claims dan lost 150 of his 100: the escrow CHECK refuses, and table a's
        // good hand in the same statement is rolled back with it.
        let error = await #expect(throws: DatabaseError.self) {
            _ = try await fixture.store.recordHands(tenant: aces, [
                hand("a", 1, rake: 0, [(a[0].user, 100, 150), (a[1].user, 100, 50)]),
                hand("b", 1, rake: 0, [(b[0].user, 100, 250), (b[1].user, 100, -50)]),
            ])
        }
        #expect(error?.code == .insufficientFunds)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.hand_records") == 0)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.hand_participants") == 0)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries") == entriesBefore)
        #expect(try await balance(fixture, a[0].escrow) == 100)
        #expect(try await balance(fixture, b[1].escrow) == 100)
        #expect(try await fixture.store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func aPlayerWithoutAnEscrowAtTheTableFailsWithNotFoundAndWritesNothing() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let a = try await seated(fixture, ["ann", "ben"], table: "a", escrow: 100)
        // ben's escrow is at table a, not b.
        let error = await #expect(throws: DatabaseError.self) {
            _ = try await fixture.store.recordHands(tenant: aces, [hand("b", 1, rake: 0, [(a[0].user, 100, 110), (a[1].user, 100, 90)])])
        }
        #expect(error?.code == .notFound)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.hand_records") == 0)
        #expect(try await balance(fixture, a[0].escrow) == 100)
    }

    @Test func anUnbalancedHandOrANegativeRakeIsRefusedBeforeAnythingIsSent() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let a = try await seated(fixture, ["ann", "ben"], table: "a", escrow: 100)
        let before = fixture.pool.roundTrips
        for bad in [hand("a", 1, rake: 5, [(a[0].user, 100, 110), (a[1].user, 100, 90)]),
                    hand("a", 1, rake: -10, [(a[0].user, 100, 110), (a[1].user, 100, 100)])] {
            let error = await #expect(throws: DatabaseError.self) { _ = try await fixture.store.recordHands(tenant: aces, [bad]) }
            #expect(error?.code == .unbalancedEntry)
        }
        #expect(fixture.pool.roundTrips == before)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.hand_records") == 0)
    }

    @Test func aJournalEntryIsOneRoundTripAndAReplayedKeyPostsNothingAgain() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let a = try await fixture.store.createUser(tenant: aces, username: "ann", email: nil, passwordHash: "h", startingBalance: 100)
        let b = try await fixture.store.createUser(tenant: aces, username: "ben", email: nil, passwordHash: "h", startingBalance: 100)
        let postings = [Posting(account: a.walletAccountID, amount: -30), Posting(account: b.walletAccountID, amount: 30)]
        let before = fixture.pool.roundTrips
        let first = try await fixture.store.postEntry(tenant: aces, kind: "transfer", idempotencyKey: "once", postings: postings)
        #expect(fixture.pool.roundTrips - before == 1)
        let again = try await fixture.store.postEntry(tenant: aces, kind: "transfer", idempotencyKey: "once", postings: postings)
        #expect(again == .replayed(first.entryID))
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: a.id) == 70)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.postings WHERE entry_id = $1", [.int(first.entryID)]) == 2)
    }

    @Test func arrayLiteralsQuoteEveryTextElement() {
        #expect(PostgresArray.numbers(["1", "-2", "3"]) == "{1,-2,3}")
        #expect(PostgresArray.text(["a", "NULL", "x\"y", "b\\c", ""]) == #"{"a","NULL","x\"y","b\\c",""}"#)
        #expect(PostgresArray.text(["♠️ Ünï", "{,}"]) == #"{"♠️ Ünï","{,}"}"#)
    }
}
