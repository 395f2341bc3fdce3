import Foundation
import Testing
import PokerEngine
@testable import FeltTables

/// The `player_left` events a sink received, parsed.
func leftEvents(_ sink: RecordingSink) -> [[String: Any]] {
    sink.events.map { parse($0) }.filter { $0["event"] as? String == "player_left" }
}

/// Whether a parsed view shows the connection seated.
func isSeatedView(_ view: [String: Any]) -> Bool { view["your_seat"] is Int }

@Suite("Table removal notices")
struct TableRemovalNoticeTests {
    let wallets: [UserID: Int] = [alice: 1_000, bob: 1_000, carol: 1_000]

    /// After a removal the connection keeps watching as a spectator: a heartbeat brings a
    /// seatless view; after `stop_spectating` nothing more.
    private func expectWatchesUntilStop(_ table: TableActor, _ viewer: ViewerID, _ sink: RecordingSink) async throws {
        sink.clear()
        await table.heartbeat()
        let next = try #require(sink.views.last)
        #expect(!isSeatedView(parse(next)))
        try await table.stopSpectating(viewer: viewer).get()
        sink.clear()
        await table.heartbeat()
        #expect(sink.messages.isEmpty)
    }

    @Test("a busted player's connection gets player_left (busted), a seatless view, then spectator views")
    func bustedPlayerIsTold() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 100)
        let sa = RecordingSink(), sb = RecordingSink()
        await table.connect(viewer: ViewerID(1), user: alice, sink: sa)
        await table.connect(viewer: ViewerID(2), user: bob, sink: sb)
        sa.clear(); sb.clear()
        try await table.act(user: alice, action: .allIn).get()
        try await table.act(user: bob, action: .call).get()
        await table.drainLedger()
        let busted = await ledger.cashOuts.filter { $0.reason == .busted }
        let loser = try #require(busted.first?.user)
        let (loserSink, loserViewer, winnerSink) = loser == alice ? (sa, ViewerID(1), sb) : (sb, ViewerID(2), sa)
        let notice = try #require(leftEvents(loserSink).first)
        #expect(notice["reason"] as? String == "busted")
        #expect(notice["username"] as? String == name(loser))
        #expect(leftEvents(winnerSink).count == 1)
        // The last view after the notice no longer seats the loser.
        let last = parse(try #require(loserSink.views.last))
        #expect(!isSeatedView(last))
        #expect(players(last).values.allSatisfy { $0["username"] as? String != name(loser) })
        #expect(await table.snapshot().spectatorCount == 1)
        try await expectWatchesUntilStop(table, loserViewer, loserSink)
    }

    @Test("a player removed after the sit-out timeout is told why and sees a seatless view")
    func sitOutTimeoutIsTold() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let clock = ManualTableClock(start: t0)
        let table = try makeTable(testSettings(sitOut: 30_000), ledger: ledger, clock: clock)
        try await seatAliceAndBob(at: table, buyIn: 200)
        let sink = RecordingSink()
        await table.connect(viewer: ViewerID(7), user: alice, sink: sink)
        try await table.act(user: alice, action: .fold).get()
        await table.drainLedger()
        try await table.sitOut(user: alice).get()
        sink.clear()
        clock.advance(by: 30_001)
        await table.tick()
        await table.drainLedger()
        let notice = try #require(leftEvents(sink).first)
        #expect(notice["reason"] as? String == "sit_out_timeout")
        #expect(!isSeatedView(parse(try #require(sink.views.last))))
        #expect(await ledger.wallet(alice) == 1_000 - 1)
        try await expectWatchesUntilStop(table, ViewerID(7), sink)
    }

    @Test("HTTP leave with the WebSocket open: player_left (leave), a seatless view, spectator views until stop_spectating")
    func httpLeaveKeepsSocketWatching() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 200)
        let first = RecordingSink(), second = RecordingSink(), other = RecordingSink()
        await table.connect(viewer: ViewerID(1), user: alice, sink: first)
        await table.connect(viewer: ViewerID(2), user: alice, sink: second)
        await table.connect(viewer: ViewerID(3), user: bob, sink: other)
        first.clear(); second.clear(); other.clear()
        // Mid-hand leave (alice is to act): folded, seat gone from her views.
        let out = try await table.leave(user: alice).get()
        #expect(out.returned == 199)
        for sink in [first, second] {
            let notice = try #require(leftEvents(sink).first)
            #expect(notice["reason"] as? String == "leave")
            #expect(!isSeatedView(parse(try #require(sink.views.last))))
        }
        #expect(leftEvents(other).count == 1)
        try await expectWatchesUntilStop(table, ViewerID(1), first)
        // The other connection still watches; a second leave is not_seated and moves nothing.
        second.clear()
        await table.heartbeat()
        #expect(second.views.count == 1)
        let again = await table.leave(user: alice)
        #expect(throws: TableError.notSeated) { try again.get() }
        #expect(await ledger.cashOuts.count == 1)
    }

    @Test("a connection that never sat down gets no views until spectate")
    func unseatedConnectionStaysQuiet() async throws {
        let ledger = MemoryLedger(wallets: wallets)
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 200)
        let sink = RecordingSink()
        await table.connect(viewer: ViewerID(5), user: carol, sink: sink)
        try await table.act(user: alice, action: .fold).get()
        await table.heartbeat()
        #expect(sink.messages.isEmpty)
    }
}

@Suite("Table cash-out ordering")
struct TableCashOutOrderingTests {
    @Test("after a close auto-leave nobody sees the player gone before the wallet is credited")
    func seatStaysUntilCredited() async throws {
        let ledger = MemoryLedger(wallets: [alice: 1_000, bob: 1_000])
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 300)
        let watcher = RecordingSink()
        await table.connect(viewer: ViewerID(1), user: alice, sink: RecordingSink())
        await table.connect(viewer: ViewerID(2), user: bob, sink: watcher)
        watcher.clear()
        await ledger.setHoldCashOuts(true)
        let closing = Task { await table.disconnect(viewer: ViewerID(1)) }
        var waited = 0
        while await !ledger.isHoldingCashOut, waited < 5_000 {
            try await Task.sleep(for: .milliseconds(1))
            waited += 1
        }
        #expect(await ledger.isHoldingCashOut)
        // The cash-out is in flight: wallet not yet credited, and nothing shows alice gone.
        #expect(await ledger.wallet(alice) == 700)
        #expect(await table.snapshot().seatedCount == 2)
        #expect(table.lobbySnapshot().seatedCount == 2)
        await table.heartbeat()
        #expect(leftEvents(watcher).isEmpty)
        for view in watcher.views { #expect(players(parse(view)).count == 2) }
        #expect(await ledger.releaseHeldCashOut())
        await ledger.setHoldCashOuts(false)
        await closing.value
        await table.drainLedger()
        // Credited first, then everything shows it.
        #expect(await ledger.wallet(alice) == 1_000 - 1)
        #expect(await table.snapshot().seatedCount == 1)
        #expect(table.lobbySnapshot().seatedCount == 1)
        #expect(leftEvents(watcher).first?["reason"] as? String == "disconnected")
        let last = parse(try #require(watcher.views.last))
        #expect(players(last).values.allSatisfy { $0["username"] as? String != "alice" })
    }
}
