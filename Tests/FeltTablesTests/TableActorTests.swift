import Foundation
import Synchronization
import Testing
import PokerEngine
@testable import FeltTables

@Suite("Table actor")
struct TableActorTests {
    let wallets: [UserID: Int] = [alice: 1_000, bob: 1_000, carol: 1_000, dave: 100]

    @Test("join moves the buy-in through the ledger; a refused buy-in frees the seat")
    func joinThroughLedger() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        let ok = await table.join(user: alice, username: "alice", buyIn: 300)
        #expect(try ok.get() == JoinOutcome(seat: 0, stack: 300))
        #expect(await ledger.wallet(alice) == 700)
        #expect(await ledger.escrowOf(alice) == 300)
        let poor = await table.join(user: dave, username: "dave", buyIn: 200)
        #expect(throws: TableError.insufficientChips(need: 200, have: 100)) { try poor.get() }
        #expect(await table.snapshot().seatedCount == 1)
        let again = await table.join(user: alice, username: "alice", buyIn: 100)
        #expect(throws: TableError.alreadySeated) { try again.get() }
        #expect(await ledger.wallet(alice) == 700)
    }

    @Test("a seated player's connection gets their seat's view; others only after spectate, sharing one body")
    func viewsPerViewer() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 300)
        let aliceSink = RecordingSink(), s1 = RecordingSink(), s2 = RecordingSink()
        await table.connect(viewer: ViewerID(1), user: alice, sink: aliceSink)
        await table.connect(viewer: ViewerID(2), user: carol, sink: s1)
        await table.connect(viewer: ViewerID(3), user: nil, sink: s2)
        #expect(aliceSink.views.count == 1)
        let aliceView = parse(try #require(aliceSink.views.last))
        #expect(aliceView["your_seat"] as? Int == 0)
        #expect((players(aliceView)[0]?["cards"] as? [String])?.count == 2)
        #expect((players(aliceView)[1]?["cards"] as? [String]) == [])
        #expect(s1.messages.isEmpty && s2.messages.isEmpty)
        #expect(try await table.spectate(viewer: ViewerID(2)).get() == ())
        #expect(try await table.spectate(viewer: ViewerID(3)).get() == ())
        #expect(s1.views.count == 1 && s2.views.count == 1)
        await table.heartbeat()
        #expect(s1.views.last?.body == s2.views.last?.body)
        let spectatorView = parse(try #require(s1.views.last))
        for p in players(spectatorView).values { #expect(p["cards"] as? [String] == []) }
        #expect(await table.snapshot().spectatorCount == 2)
        #expect(try await table.stopSpectating(viewer: ViewerID(3)).get() == ())
        s2.clear()
        await table.heartbeat()
        #expect(s2.messages.isEmpty)
        #expect(!s1.messages.isEmpty)
    }

    @Test("every change pushes views and events to the viewers")
    func pushesOnChange() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 300)
        let sink = RecordingSink()
        await table.connect(viewer: ViewerID(1), user: bob, sink: sink)
        sink.clear()
        let refused = await table.act(user: bob, action: .call)
        #expect(throws: TableError.notYourTurn) { try refused.get() }
        #expect(sink.messages.isEmpty)
        try await table.act(user: alice, action: .raise(to: 6)).get()
        let actionEvent = sink.events.map { parse($0) }.first { $0["event"] as? String == "action" }
        #expect(actionEvent?["to"] as? Int == 6)
        let view = parse(try #require(sink.views.last))
        #expect(view["seat_to_act"] as? Int == 1)
        let legal = view["legal_actions"] as? [String: Any]
        #expect(legal?["call_amount"] as? Int == 4)
    }

    @Test("the next hand starts only after the ledger recorded the last one")
    func recordBeforeNextHand() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let clock = ManualTableClock(start: t0)
        let table = try makeTable(testSettings(pause: 0), ledger: ledger, clock: clock)
        try await seatAliceAndBob(at: table, buyIn: 300)
        await ledger.setHoldRecords(true)
        try await table.act(user: alice, action: .fold).get()
        clock.advance(by: 5_000)
        await table.tick()
        #expect(await table.currentState().handNumber == 1)
        #expect(await table.currentState().awaitingHandRecord)
        var released = false
        for _ in 0..<200 where !released {
            released = await ledger.releaseHeld()
            if !released { try await Task.sleep(for: .milliseconds(5)) }
        }
        #expect(released)
        await table.drainLedger()
        #expect(await table.currentState().handNumber == 2)
        #expect(await ledger.hands.count == 1)
    }

    @Test("a ledger failure stops the table, reports it, and moves nothing more")
    func ledgerFailureStops() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let failures = FailureLog()
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0), failures: failures)
        try await seatAliceAndBob(at: table, buyIn: 300)
        let totalBefore = await ledger.total
        await ledger.setFailRecordHand(true)
        try await table.act(user: alice, action: .fold).get()
        await table.drainLedger()
        #expect(failures.all.count == 1)
        #expect(failures.all.first?.reason.contains("recording hand 1") == true)
        #expect(await table.snapshot().status == .stopped)
        let join = await table.join(user: carol, username: "carol", buyIn: 100)
        #expect((try? join.get()) == nil)
        let leave = await table.leave(user: alice)
        #expect((try? leave.get()) == nil)
        // Nothing moved: the escrows still hold the buy-ins for the server's recovery.
        #expect(await ledger.escrowOf(alice) == 300)
        #expect(await ledger.escrowOf(bob) == 300)
        #expect(await ledger.total == totalBefore)
    }

    @Test("closing the WebSocket leaves and returns the chips; a later HTTP leave is not_seated")
    func disconnectLeaves() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 300)
        let sink = RecordingSink()
        await table.connect(viewer: ViewerID(9), user: alice, sink: sink)
        // Alice is to act (button, heads-up) and her connection drops: she folds, bob wins the blinds.
        await table.disconnect(viewer: ViewerID(9))
        await table.drainLedger()
        #expect(await ledger.wallet(alice) == 1_000 - 1)
        #expect(await ledger.escrowOf(alice) == 0)
        let second = await table.leave(user: alice)
        #expect(throws: TableError.notSeated) { try second.get() }
        #expect(await ledger.total == 4 * 1_000 - 900)
        #expect(await table.snapshot().seatedCount == 1)
    }

    @Test("HTTP leave while the WebSocket is open returns chips once; the later close moves nothing")
    func leaveThenClose() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        _ = await table.join(user: carol, username: "carol", buyIn: 250)
        let sink = RecordingSink()
        await table.connect(viewer: ViewerID(4), user: carol, sink: sink)
        let out = try await table.leave(user: carol).get()
        #expect(out.returned == 250)
        #expect(await ledger.wallet(carol) == 1_000)
        await table.disconnect(viewer: ViewerID(4))
        await table.drainLedger()
        #expect(await ledger.cashOuts.count == 1)
        #expect(await ledger.wallet(carol) == 1_000)
    }

    @Test("the lobby snapshot shows seats, stacks, status and hand number")
    func snapshot() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        #expect(await table.snapshot().status == .waiting)
        _ = await table.join(user: alice, username: "alice", buyIn: 300)
        _ = await table.join(user: bob, username: "bob", buyIn: 200)
        let snap = await table.snapshot()
        #expect(snap.status == .playing)
        #expect(snap.handNumber == 1)
        #expect(snap.seats.map(\.username) == ["alice", "bob"])
        #expect(snap.seats.map(\.stack) == [299, 198])
        #expect(snap.seatedCount == 2)
        #expect(snap.buyInMin == 40 && snap.buyInMax == 400 && snap.seatCount == 6)
        // The published lobby copy needs no actor hop and follows seats and spectators.
        #expect(table.lobbySnapshot().seatedCount == 2)
        #expect(table.lobbySnapshot().handNumber == 1)
        await table.connect(viewer: ViewerID(5), user: nil, sink: RecordingSink())
        _ = await table.spectate(viewer: ViewerID(5))
        #expect(table.lobbySnapshot().spectatorCount == 1)
        _ = await table.leave(user: bob)
        #expect(table.lobbySnapshot().seatedCount == 1)
        #expect(table.lobbySnapshot().seats.map(\.username) == ["alice"])
    }

    @Test("the actor runs on the executor it is given")
    func pinnedExecutor() async throws {
        let executor = CountingExecutor()
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0), executor: executor)
        let before = executor.count.load(ordering: .relaxed)
        _ = await table.snapshot()
        _ = await table.join(user: alice, username: "alice", buyIn: 100)
        #expect(executor.count.load(ordering: .relaxed) > before)
    }

    @Test("with automatic timers a turn times out and the next hand starts by itself")
    func automaticTimers() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        var settings = testSettings(pause: 50)
        settings.actionTimeoutMillis = 50
        let table = try TableActor(settings: settings, ledger: ledger, deckSource: .seeded(SeededCardRandom(seed: 3)))
        await table.start()
        try await seatAliceAndBob(at: table, buyIn: 300)
        var hands = 0
        for _ in 0..<400 where hands < 2 {
            try await Task.sleep(for: .milliseconds(10))
            hands = await ledger.hands.count
        }
        await table.shutdown()
        #expect(hands >= 2)
        let first = try #require(await ledger.hands.first)
        #expect(first.record.actions.first?.timedOut == true)
    }
}
