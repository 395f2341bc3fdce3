import Foundation
import Synchronization
import FeltTestSupport
import Testing
import PokerEngine
@testable import FeltTables

/// The views rendered the straightforward way (one writer per view, every field written in
/// order, as the first implementation did): the reference the piece-wise fast path must match
/// byte for byte.
func referenceView(_ state: TableState, seat viewer: Int?) -> [UInt8] {
    let running = state.isHandRunning
    let h = state.hand
    var w = JSONWriter(capacity: 256)
    w.raw("\"table_id\":"); w.string(state.settings.tableID)
    w.raw(",\"hand_number\":"); w.int(state.handNumber)
    w.raw(",\"status\":")
    if state.stoppedReason != nil { w.raw("\"stopped\"") } else if running { w.raw("\"playing\"") } else { w.raw("\"waiting\"") }
    w.raw(",\"street\":")
    if let h { w.string(h.street.rawValue) } else { w.null() }
    w.raw(",\"board\":")
    if let h { w.cards(h.board) } else { w.raw("[]") }
    w.raw(",\"pots\":[")
    for (i, p) in (h?.pots ?? []).enumerated() {
        if i > 0 { w.byte(UInt8(ascii: ",")) }
        w.raw("{\"amount\":"); w.int(p.amount); w.raw(",\"eligible\":"); w.ints(p.eligible); w.byte(UInt8(ascii: "}"))
    }
    w.raw("],\"total_pot\":"); w.int(running ? h?.totalPot ?? 0 : 0)
    w.raw(",\"button\":"); if let p = h?.positions { w.int(p.button) } else { w.null() }
    w.raw(",\"small_blind_seat\":"); if let sb = h?.positions.smallBlind { w.int(sb) } else { w.null() }
    w.raw(",\"big_blind_seat\":"); if let p = h?.positions { w.int(p.bigBlind) } else { w.null() }
    let actor = running ? h?.actor : nil
    w.raw(",\"seat_to_act\":"); if let a = actor { w.int(a) } else { w.null() }
    w.raw(",\"action_deadline\":"); if running, let d = state.actionDeadline { w.int64(d) } else { w.null() }
    let inRange = viewer.map { $0 >= 0 && $0 < state.seats.count } ?? false
    w.raw(",\"your_seat\":"); if inRange, let viewer { w.int(viewer) } else { w.null() }
    w.raw(",\"players\":[")
    var first = true
    for case let s? in state.seats where s.phase != .reserved {
        if !first { w.byte(UInt8(ascii: ",")) }
        first = false
        let i = s.seat
        let status: SeatStatus? = h.map { $0.statuses[i] }
        let dealt = h != nil && i < state.handUsers.count && state.handUsers[i] == s.user && (status ?? .out) != .out
        let shown = h?.showdown.contains { $0.seat == i && $0.shown } ?? false
        let live = dealt && (status?.isLive ?? false)
        let isPublic = dealt && (shown || ((h?.handsExposed ?? false) && live))
        let own = inRange && viewer == i && dealt
        w.raw("{\"seat\":"); w.int(i)
        w.raw(",\"user_id\":"); w.int64(s.user.rawValue)
        w.raw(",\"username\":"); w.string(s.username)
        w.raw(",\"stack\":"); if dealt && running, let h { w.int(h.stacks[i] - s.paidDuringHand) } else { w.int(s.stack) }
        w.raw(",\"bet\":"); if dealt && running, let h { w.int(h.bets[i]) } else { w.int(0) }
        w.raw(",\"status\":")
        if s.phase == .left {
            w.raw("\"left\"")
        } else if dealt, let st = status, running || st != .active {
            w.string(st == .out ? "waiting" : st.rawValue)
        } else {
            w.raw(s.isSittingOut ? "\"sitting_out\"" : "\"waiting\"")
        }
        w.raw(",\"cards\":")
        if let h, isPublic || own { w.cards(h.holeCards(of: i)) } else { w.raw("[]") }
        w.raw(",\"has_cards\":")
        if own && !isPublic { w.bool(running && (live || status == .folded)) } else { w.bool(live && running) }
        w.raw(",\"won\":"); if dealt, let h, h.isFinished { w.int(h.winnings[i]) } else { w.int(0) }
        w.raw(",\"sitting_out\":"); w.bool(s.isSittingOut)
        w.raw(",\"connected\":"); w.bool(s.isConnected)
        w.raw(",\"time_bank\":"); w.int64(s.timeBankLeft)
        w.byte(UInt8(ascii: "}"))
    }
    w.raw("],\"legal_actions\":")
    if inRange, let viewer, viewer == actor, let legal = h?.legalActions() {
        w.raw("{\"can_fold\":"); w.bool(legal.canFold)
        w.raw(",\"can_check\":"); w.bool(legal.canCheck)
        w.raw(",\"call_amount\":"); w.int(legal.callAmount)
        w.raw(",\"can_raise\":"); w.bool(legal.canRaise)
        w.raw(",\"min_raise_to\":"); if legal.canRaise { w.int(legal.minRaiseTo) } else { w.null() }
        w.raw(",\"max_raise_to\":"); if legal.canRaise { w.int(legal.maxRaiseTo) } else { w.null() }
        w.raw(",\"all_in_to\":"); w.int(legal.allInTo)
        w.byte(UInt8(ascii: "}"))
    } else {
        w.null()
    }
    w.byte(UInt8(ascii: "}"))
    return w.bytes
}

/// Records what a viewer receives, one entry per `deliver` call.
final class BatchRecordingSink: TableViewerSink {
    private let box = Mutex<[[SharedMessage]]>([])
    func deliver(_ message: SharedMessage) { box.withLock { $0.append([message]) } }
    func deliver(_ messages: [SharedMessage], then last: SharedMessage?) {
        box.withLock { $0.append(messages + (last.map { [$0] } ?? [])) }
    }
    var calls: [[SharedMessage]] { box.withLock { $0 } }
    func clear() { box.withLock { $0.removeAll() } }
}

@Suite("Game views: piece-wise fast path")
struct TableViewFastPathTests {
    @Test("across random hands, every seat's and the spectator's view equals the straightforward rendering byte for byte")
    func fastPathMatchesReference() throws {
        var rng = SplitMix64(seed: 4242)
        var h = try Harness(testSettings(seats: 6), seed: 21)
        let users = (1...6).map { UserID(Int64($0)) }
        for u in users.prefix(5) { try h.join(u, 40 + Int(u.rawValue) * 30) }
        var compared = 0
        var previous: GameViewSet?
        var sawShowdown = false
        var sawExposed = false
        for step in 0..<600 {
            if let u = h.toAct, let legal = h.state.hand?.legalActions() {
                try h.act(u, legal.randomAction(using: &rng))
            } else {
                h.advance(1_000)
                for u in users where h.state.seat(of: u) == nil && step % 3 == 0 { _ = try? h.join(u, 60) }
            }
            if let hand = h.state.hand {
                sawShowdown = sawShowdown || hand.showdown.contains { $0.shown }
                sawExposed = sawExposed || hand.handsExposed
            }
            let fresh = h.state.gameViews()
            // Rendered again reusing the unchanged player objects of the previous version.
            let reused = h.state.gameViews(reusing: previous)
            previous = reused
            for seat in [nil, -1, 0, 1, 2, 3, 4, 5, 6, 99] as [Int?] {
                let reference = referenceView(h.state, seat: seat)
                for fast in [fresh.view(for: seat), reused.view(for: seat)] {
                    #expect(fast.body == reference, "step \(step) seat \(String(describing: seat))")
                    #expect(fast.bodyCount == reference.count)
                    #expect(fast.kind == .gameView)
                }
                compared += 1
            }
        }
        #expect(compared == 6_000)
        #expect(sawShowdown && sawExposed)
    }

    @Test("a view message writes the same bytes through copyBytes, write(into:) and bytes, for any seq")
    func writersAgree() throws {
        var h = try Harness(testSettings(seats: 3))
        try h.join(alice, 200); try h.join(bob, 150); try h.join(carol, 100)
        let set = h.state.gameViews()
        for seat in [nil, 0, 1, 2] as [Int?] {
            let m = set.view(for: seat)
            for seq: UInt64 in [0, 1, 9, 10, 99, 100, 12_345, UInt64.max] {
                let expected = Array("{\"type\":\"game_view\",\"seq\":\(seq),".utf8) + referenceView(h.state, seat: seat)
                #expect(m.bytes(seq: seq) == expected)
                #expect(m.count(seq: seq) == expected.count)
                var out: [UInt8] = [7]
                m.write(seq: seq, into: &out)
                #expect(out == [7] + expected)
            }
        }
        let event = TableMessages.event(.playerJoined(seat: 1, username: "b\"ob", stack: 5), tableID: "t1")
        #expect(event.bytes(seq: 42) == event.body)
        #expect(event.count(seq: 42) == event.body.count)
        #expect(event == SharedMessage(kind: .event, body: event.body))
    }

    @Test("one change reaches each viewer in one delivery: its events first, then its own view")
    func oneDeliveryPerChange() async throws {
        let ledger = MemoryLedger(wallets: [alice: 1_000, bob: 1_000, carol: 1_000])
        let table = try makeTable(ledger: ledger, clock: ManualTableClock(start: t0))
        try await seatAliceAndBob(at: table, buyIn: 300)
        let sinks = [BatchRecordingSink(), BatchRecordingSink(), BatchRecordingSink()]
        await table.connect(viewer: ViewerID(1), user: alice, sink: sinks[0])
        await table.connect(viewer: ViewerID(2), user: bob, sink: sinks[1])
        await table.connect(viewer: ViewerID(3), user: nil, sink: sinks[2])
        _ = await table.spectate(viewer: ViewerID(3))
        for s in sinks { s.clear() }
        let state = await table.currentState()
        let seat = try #require(state.seatToAct)
        let user = try #require(state.seats[seat]?.user)
        let legal = try #require(state.hand?.legalActions())
        let acted = await table.act(user: user, action: legal.canCheck ? .check : .call)
        #expect(throws: Never.self) { try acted.get() }
        let after = await table.currentState()
        for (i, s) in sinks.enumerated() {
            let calls = s.calls
            #expect(calls.count == 1, "viewer \(i)")
            let messages = calls.first ?? []
            #expect(messages.count >= 2)
            #expect(messages.dropLast().allSatisfy { $0.kind == .event })
            #expect(messages.last?.kind == .gameView)
            let firstEvent = messages.first.map { parse($0) } ?? [:]
            #expect(firstEvent["event"] as? String == "action")
            let viewSeat: Int? = i < 2 ? i : nil
            #expect(messages.last?.body == referenceView(after, seat: viewSeat))
        }
        // The events are the same bytes for everybody.
        #expect(sinks[0].calls.first?.dropLast() == sinks[2].calls.first?.dropLast())
    }
}
