import Dispatch
import Synchronization
import Testing
import PokerEngine
@testable import FeltTables

/// An in-memory double-entry ledger: wallets, one escrow per user, the house. Refuses any
/// movement that would make a balance negative (as the database does), so calls made in the
/// wrong order fail the test.
actor MemoryLedger: TableLedger {
    var wallets: [UserID: Int]
    var escrow: [UserID: Int] = [:]
    var house = 0
    var hands: [HandResult] = []
    var cashOuts: [CashOut] = []
    var failRecordHand = false
    var holdRecords = false
    var heldRecord: CheckedContinuation<Void, Never>?
    var holdCashOuts = false
    var heldCashOut: CheckedContinuation<Void, Never>?

    struct Negative: Error, CustomStringConvertible { var description: String }

    init(wallets: [UserID: Int]) { self.wallets = wallets }

    var total: Int { wallets.values.reduce(0, +) + escrow.values.reduce(0, +) + house }

    func buyIn(tableID: String, user: UserID, amount: Int) async throws {
        let have = wallets[user, default: 0]
        guard have >= amount else { throw TableError.insufficientChips(need: amount, have: have) }
        wallets[user] = have - amount
        escrow[user, default: 0] += amount
    }

    func recordHand(_ result: HandResult) async throws {
        if holdRecords { await withCheckedContinuation { heldRecord = $0 } }
        if failRecordHand { throw Negative(description: "database unavailable") }
        var next = escrow
        for p in result.players { next[p.user, default: 0] += p.delta }
        guard next.values.allSatisfy({ $0 >= 0 }) else { throw Negative(description: "escrow would go negative") }
        escrow = next
        house += result.rake
        hands.append(result)
    }

    func cashOut(_ c: CashOut) async throws {
        if holdCashOuts { await withCheckedContinuation { heldCashOut = $0 } }
        let e = escrow[c.user, default: 0]
        guard e >= c.amount else { throw Negative(description: "escrow \(e) < cash out \(c.amount)") }
        escrow[c.user] = e - c.amount
        wallets[c.user, default: 0] += c.amount
        cashOuts.append(c)
    }

    func setFailRecordHand(_ v: Bool) { failRecordHand = v }
    func setHoldRecords(_ v: Bool) { holdRecords = v }
    func releaseHeld() -> Bool {
        guard let c = heldRecord else { return false }
        heldRecord = nil
        c.resume()
        return true
    }
    func setHoldCashOuts(_ v: Bool) { holdCashOuts = v }
    var isHoldingCashOut: Bool { heldCashOut != nil }
    func releaseHeldCashOut() -> Bool {
        guard let c = heldCashOut else { return false }
        heldCashOut = nil
        c.resume()
        return true
    }
    func wallet(_ u: UserID) -> Int { wallets[u, default: 0] }
    func escrowOf(_ u: UserID) -> Int { escrow[u, default: 0] }
}

/// Collects what a viewer receives.
final class RecordingSink: TableViewerSink {
    private let box = Mutex<[SharedMessage]>([])
    func deliver(_ message: SharedMessage) { box.withLock { $0.append(message) } }
    var messages: [SharedMessage] { box.withLock { $0 } }
    var views: [SharedMessage] { messages.filter { $0.kind == .gameView } }
    var events: [SharedMessage] { messages.filter { $0.kind == .event } }
    func clear() { box.withLock { $0.removeAll() } }
}

/// A serial executor that counts the jobs it ran.
final class CountingExecutor: SerialExecutor {
    private let queue = DispatchQueue(label: "counting")
    let count = Atomic<Int>(0)
    func enqueue(_ job: consuming ExecutorJob) {
        let j = UnownedJob(job)
        let me = asUnownedSerialExecutor()
        count.add(1, ordering: .relaxed)
        queue.async { j.runSynchronously(on: me) }
    }
    func asUnownedSerialExecutor() -> UnownedSerialExecutor { UnownedSerialExecutor(ordinary: self) }
}

/// Failures a table reported.
final class FailureLog: Sendable {
    private let box = Mutex<[TableFailure]>([])
    func append(_ f: TableFailure) { box.withLock { $0.append(f) } }
    var all: [TableFailure] { box.withLock { $0 } }
}

func makeTable(_ settings: TableSettings = testSettings(), ledger: MemoryLedger, clock: ManualTableClock,
               executor: (any SerialExecutor)? = nil, failures: FailureLog? = nil) throws -> TableActor {
    try TableActor(settings: settings, ledger: ledger, executor: executor, clock: clock,
                   deckSource: .seeded(SeededCardRandom(seed: 11)), automaticTimers: false,
                   onFailure: { f in failures?.append(f) })
}

/// Seats alice and bob with `buyIn` each; fails the test if either join is refused.
func seatAliceAndBob(at table: TableActor, buyIn: Int) async throws {
    _ = try await table.join(user: alice, username: "alice", buyIn: buyIn).get()
    _ = try await table.join(user: bob, username: "bob", buyIn: buyIn).get()
}
