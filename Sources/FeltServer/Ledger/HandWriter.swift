import FeltStore
import Synchronization

/// Group commit of finished hands for one tenant: hands that finish while a write is in
/// flight are written together by the next one, in one statement and one commit
/// (`TenantStore.recordHands`). Every hand in a batch commits or none does.
///
/// * Order per table: a batch holds at most one hand of a table; a later hand of the same
///   table waits for the next batch (tables wait for their hand anyway before dealing on).
/// * Failure stays with its table: when a batch fails with an error the server reported
///   (the statement was rolled back), its hands are written again one by one, so only the
///   hands that fail alone fail (and stop their tables). When the connection is lost, the
///   outcome is unknown and every hand of the batch fails, as a single write would.
///
/// Why: every hand with rake updates the tenant's one house account row, so concurrent hand
/// transactions queue on that row lock through each other's commit (and WAL flush). One
/// writer per tenant turns that queue into batches: one round trip, one house update and one
/// flush for many hands.
///
/// Durability is unchanged: the embedded cluster keeps `fsync` and `synchronous_commit` on
/// (only throwaway test clusters turn them off), and a hand is reported recorded only after
/// the commit that holds it returned; batching shares the WAL flush, it does not skip it.
public final class HandWriter: Sendable {
    /// Most hands in one statement.
    public let maxBatch: Int
    private let schema: TenantSchema
    private let store: TenantStore
    private let state = Mutex(State())

    struct State {
        var queue: [Pending] = []
        var writing = false
    }

    struct Pending: Sendable {
        let hand: HandWrite
        let done: CheckedContinuation<Result<Int64, DatabaseError>, Never>
    }

    /// A writer for `schema`; nothing runs until the first hand.
    public init(schema: TenantSchema, store: TenantStore, maxBatch: Int = 64) {
        self.schema = schema
        self.store = store
        self.maxBatch = max(1, maxBatch)
    }

    /// Hands waiting for the next batch, and whether a batch is in flight.
    var pending: (queued: Int, writing: Bool) { state.withLock { ($0.queue.count, $0.writing) } }

    /// Writes `hand` with whatever else is waiting; returns its hand record id once committed.
    public func write(_ hand: HandWrite) async throws(DatabaseError) -> Int64 {
        try hand.validate()
        let result = await withCheckedContinuation { (done: CheckedContinuation<Result<Int64, DatabaseError>, Never>) in
            let start = state.withLock { state -> Bool in
                state.queue.append(Pending(hand: hand, done: done))
                if state.writing { return false }
                state.writing = true
                return true
            }
            if start { Task { await self.drain() } }
        }
        return try result.get()
    }

    /// Writes batches until the queue is empty.
    private func drain() async {
        while true {
            let batch = state.withLock { state -> [Pending] in
                let batch = Self.takeBatch(from: &state.queue, max: maxBatch)
                if batch.isEmpty { state.writing = false }
                return batch
            }
            if batch.isEmpty { return }
            await write(batch)
        }
    }

    /// Removes up to `max` hands from the front of `queue`, at most one per table; hands of a
    /// table already in the batch stay queued in their order.
    static func takeBatch<P>(from queue: inout [P], max: Int, table: (P) -> String) -> [P] {
        var batch: [P] = []
        var tables = Set<String>()
        var rest: [P] = []
        for item in queue {
            if batch.count < max, tables.insert(table(item)).inserted {
                batch.append(item)
            } else {
                rest.append(item)
            }
        }
        queue = rest
        return batch
    }

    static func takeBatch(from queue: inout [Pending], max: Int) -> [Pending] {
        takeBatch(from: &queue, max: max) { $0.hand.tableID }
    }

    private func write(_ batch: [Pending]) async {
        do throws(DatabaseError) {
            let ids = try await recordRetryingUnsent(batch.map(\.hand))
            for (pending, id) in zip(batch, ids) { pending.done.resume(returning: .success(id)) }
        } catch {
            guard batch.count > 1, Self.wasRolledBack(error) else {
                for pending in batch { pending.done.resume(returning: .failure(error)) }
                return
            }
            for pending in batch {
                do throws(DatabaseError) {
                    let ids = try await recordRetryingUnsent([pending.hand])
                    pending.done.resume(returning: ids.first.map { .success($0) }
                                        ?? .failure(DatabaseError(.queryFailed, "hand write returned no id")))
                } catch {
                    pending.done.resume(returning: .failure(error))
                }
            }
        }
    }

    /// `recordHands`, tried again while the statement was never sent (``UnsentRetry``).
    private func recordRetryingUnsent(_ hands: [HandWrite]) async throws(DatabaseError) -> [Int64] {
        try await UnsentRetry.run { () async throws(DatabaseError) -> [Int64] in
            try await store.recordHands(tenant: schema, hands)
        }
    }

    /// Whether the server reported `error` for the statement (so nothing of it committed), as
    /// opposed to a lost connection, where the commit may or may not have happened.
    static func wasRolledBack(_ error: DatabaseError) -> Bool {
        error.sqlState != nil && error.code != .databaseUnavailable
    }
}
