import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

@Suite struct LedgerTests {
    private func twoWallets(_ fixture: MigratedStore) async throws -> (UserRecord, UserRecord) {
        let aces = fixture.schemas[0]
        let a = try await fixture.store.createUser(tenant: aces, username: "ann", email: nil, passwordHash: "h", startingBalance: 100)
        let b = try await fixture.store.createUser(tenant: aces, username: "ben", email: nil, passwordHash: "h", startingBalance: 100)
        return (a, b)
    }

    @Test func anUnbalancedEntryIsRejectedAndNothingIsWritten() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let (a, b) = try await twoWallets(fixture)
        for postings in [[Posting(account: a.walletAccountID, amount: -10), Posting(account: b.walletAccountID, amount: 9)],
                         [], [Posting(account: a.walletAccountID, amount: 0)]] {
            let error = await #expect(throws: DatabaseError.self) {
                _ = try await fixture.store.postEntry(tenant: aces, kind: "transfer", postings: postings)
            }
            #expect(error?.code == .unbalancedEntry)
        }
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries") == 2)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: a.id) == 100)
    }

    @Test func anOverdraftIsRejectedByTheDatabaseAndRolledBack() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let (a, b) = try await twoWallets(fixture)
        let error = await #expect(throws: DatabaseError.self) {
            _ = try await fixture.store.postEntry(tenant: aces, kind: "transfer", postings: [
                Posting(account: a.walletAccountID, amount: -101), Posting(account: b.walletAccountID, amount: 101),
            ])
        }
        #expect(error?.code == .insufficientFunds)
        #expect(error?.constraint == "ledger_accounts_balance_nonnegative")
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: a.id) == 100)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: b.id) == 100)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.journal_entries") == 2)
        let exact = try await fixture.store.postEntry(tenant: aces, kind: "transfer", postings: [
            Posting(account: a.walletAccountID, amount: -100), Posting(account: b.walletAccountID, amount: 100),
        ])
        #expect(exact.entryID > 0)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: a.id) == 0)
        #expect(try await fixture.store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func theDatabaseItselfRefusesUnbalancedPostingsNegativeBalancesAndJournalEdits() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let (a, _) = try await twoWallets(fixture)
        // Bypassing postEntry: a lone posting fails at COMMIT (deferred constraint trigger).
        let unbalanced = await #expect(throws: DatabaseError.self) {
            try await fixture.pool.transaction { tx throws(DatabaseError) in
                let entry = try await tx.query("INSERT INTO tenant_aces.journal_entries (kind) VALUES ('rogue') RETURNING id")
                _ = try await tx.query("INSERT INTO tenant_aces.postings (entry_id, account_id, amount) VALUES ($1, $2, 5)",
                                       [.int(try entry.first?.int64("id") ?? 0), .int(a.walletAccountID)])
            }
        }
        #expect(unbalanced?.code == .checkViolation)
        #expect(unbalanced?.constraint == "postings_entry_balanced")
        let negative = await #expect(throws: DatabaseError.self) {
            _ = try await fixture.pool.query("UPDATE tenant_aces.ledger_accounts SET balance = -1 WHERE id = $1", [.int(a.walletAccountID)])
        }
        #expect(negative?.code == .checkViolation)
        let edit = await #expect(throws: DatabaseError.self) { _ = try await fixture.pool.query("DELETE FROM tenant_aces.postings") }
        #expect(edit?.constraint == "journal_append_only")
        #expect(try await fixture.store.ledgerAudit(tenant: fixture.schemas[0]).isConsistent)
    }

    @Test func anIdempotencyKeyMovesMoneyOnlyOnce() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let (a, b) = try await twoWallets(fixture)
        let postings = [Posting(account: a.walletAccountID, amount: -30), Posting(account: b.walletAccountID, amount: 30)]
        let first = try await fixture.store.postEntry(tenant: aces, kind: "join", idempotencyKey: "req-1", postings: postings)
        let second = try await fixture.store.postEntry(tenant: aces, kind: "join", idempotencyKey: "req-1", postings: postings)
        #expect(second == .replayed(first.entryID))
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: a.id) == 70)
        #expect(try await fixture.store.walletBalance(tenant: aces, userID: b.id) == 130)
    }

    @Test func concurrentJoinsOfOnePlayerSerializeOnTheWalletLock() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let store = fixture.store
        let (a, _) = try await twoWallets(fixture)
        // The join pattern of the client guide: lock the wallet, refuse a second seat, move chips.
        let outcomes = await withTaskGroup(of: String.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    do {
                        return try await store.pool.transaction { tx throws(DatabaseError) in
                            let wallet = try await store.lockWallet(tenant: aces, userID: a.id, in: tx)
                            let escrow = try await store.escrowAccount(tenant: aces, tableID: "nl-1", userID: a.id, in: tx)
                            if try await store.balance(tenant: aces, account: escrow, in: tx) > 0 { return "already_seated" }
                            _ = try await store.postEntry(tenant: aces, kind: "join", postings: [
                                Posting(account: wallet.account, amount: -40), Posting(account: escrow, amount: 40),
                            ], in: tx)
                            return "joined"
                        }
                    } catch {
                        return "error: \(error)"
                    }
                }
            }
            return await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["already_seated", "already_seated", "already_seated", "joined"])
        #expect(try await store.walletBalance(tenant: aces, userID: a.id) == 60)
        #expect(try await store.ledgerAudit(tenant: aces).isConsistent)
    }

    @Test func concurrentTransfersKeepTheBooksBalanced() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let store = fixture.store
        let (a, b) = try await twoWallets(fixture)
        let outcomes = await withTaskGroup(of: DatabaseError.Code?.self) { group in
            for index in 0..<30 {
                let (from, to) = index % 3 == 0 ? (b, a) : (a, b)
                group.addTask {
                    do {
                        _ = try await store.postEntry(tenant: aces, kind: "transfer", postings: [
                            Posting(account: from.walletAccountID, amount: -15), Posting(account: to.walletAccountID, amount: 15),
                        ])
                        return nil
                    } catch {
                        return (error as? DatabaseError)?.code ?? .queryFailed
                    }
                }
            }
            return await group.reduce(into: [DatabaseError.Code?]()) { $0.append($1) }
        }
        #expect(outcomes.compactMap { $0 }.allSatisfy { $0 == .insufficientFunds })
        let total = try await store.walletBalance(tenant: aces, userID: a.id) + store.walletBalance(tenant: aces, userID: b.id)
        #expect(total == 200)
        #expect(try await store.ledgerAudit(tenant: aces).isConsistent)
    }
}
