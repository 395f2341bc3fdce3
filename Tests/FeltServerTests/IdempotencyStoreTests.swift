import FeltStore
import Foundation
import Testing
@testable import FeltServer

@Suite("Idempotency keys in PostgreSQL")
struct IdempotencyStoreTests {
    @Test func aKeyRunsOnceThenReplaysAndRefusesADifferentRequest() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let store = IdempotencyStore(schema: f.schema, pool: f.pool)
        let user = try await f.user("alice", balance: 0)
        #expect(try await store.begin(user: user, key: "k1", requestHash: "h1") == .started)
        #expect(try await store.begin(user: user, key: "k1", requestHash: "h1") == .inProgress)
        #expect(try await store.begin(user: user, key: "k1", requestHash: "other") == .mismatch)
        try await store.finish(user: user, key: "k1", status: 200, body: "{\"seat\":1}")
        #expect(try await store.begin(user: user, key: "k1", requestHash: "h1") == .replay(status: 200, body: "{\"seat\":1}"))
        #expect(try await store.begin(user: user, key: "k1", requestHash: "h2") == .mismatch)
        // Keys are per user.
        let bob = try await f.user("bob", balance: 0)
        #expect(try await store.begin(user: bob, key: "k1", requestHash: "h2") == .started)
    }

    @Test func anAbandonedOrCrashedKeyRunsAgainAndOldKeysExpire() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let store = IdempotencyStore(schema: f.schema, pool: f.pool)
        let user = try await f.user("alice", balance: 0)
        #expect(try await store.begin(user: user, key: "a", requestHash: "h") == .started)
        try await store.abandon(user: user, key: "a")
        #expect(try await store.begin(user: user, key: "a", requestHash: "h") == .started)
        // A process that died while running leaves the key running; start-up purges it.
        try await store.purgeStale()
        #expect(try await store.begin(user: user, key: "a", requestHash: "h") == .started)
        try await store.finish(user: user, key: "a", status: 409, body: "{}")
        _ = try await f.pool.query("""
            UPDATE \(f.schema.quoted).idempotency_keys SET created_at = now() - interval '25 hours' WHERE user_id = $1
            """, [.int(user)])
        #expect(try await store.begin(user: user, key: "a", requestHash: "different") == .started)
    }

    @Test func theHourlyPurgeDropsOnlyKeysOlderThanADayAndLeavesRunningOnesAlone() async throws {
        let f = try await LedgerFixture.make()
        defer { f.pool.close() }
        let store = IdempotencyStore(schema: f.schema, pool: f.pool)
        let user = try await f.user("alice", balance: 0)
        #expect(try await store.begin(user: user, key: "old", requestHash: "h") == .started)
        try await store.finish(user: user, key: "old", status: 200, body: "{}")
        _ = try await f.pool.query("""
            UPDATE \(f.schema.quoted).idempotency_keys SET created_at = now() - interval '25 hours' WHERE key = 'old'
            """)
        #expect(try await store.begin(user: user, key: "done", requestHash: "h") == .started)
        try await store.finish(user: user, key: "done", status: 200, body: "{\"ok\":1}")
        #expect(try await store.begin(user: user, key: "busy", requestHash: "h") == .started)
        #expect(try await store.purgeExpired() == 1)
        let left = try await f.pool.query("SELECT key FROM \(f.schema.quoted).idempotency_keys ORDER BY key")
        #expect(try left.rows.map { try $0.string("key") } == ["busy", "done"])
        // A request still running keeps its key: a duplicate still waits for it.
        #expect(try await store.begin(user: user, key: "busy", requestHash: "h") == .inProgress)
        #expect(try await store.purgeExpired() == 0)
    }
}
