import FeltTestSupport
import Testing
import PokerEngine
@testable import FeltTables

@Suite("Chip conservation")
struct TableConservationTests {
    @Test("stacks + rake + cash-outs equal buy-ins across random joins, leaves, actions and timeouts",
          arguments: 0..<4)
    func randomSequences(batch: Int) throws {
        var handsPlayed = 0, midHandLeaves = 0, timeouts = 0, showdowns = 0
        for run in 0..<60 {
            let seed = UInt64(batch * 1_000 + run)
            var rng = SplitMix64(seed: seed)
            let settings = testSettings(seats: 2 + Int(seed % 5), timeBank: 3_000, pause: Int64(seed % 3) * 500,
                                        sitOut: 40_000, grace: seed % 2 == 0 ? 0 : 5_000,
                                        rake: RakeRule(basisPoints: 500, capPerHand: 3))
            var h = try Harness(settings, seed: seed)
            for _ in 0..<250 {
                let user = UserID(Int64(1 + rng.next() % 8))
                switch rng.next() % 20 {
                case 0, 1:
                    _ = try? h.join(user, 30 + Int(rng.next() % 400))
                case 2:
                    _ = try? h.leave(user)
                case 3:
                    h.absorb(h.state.connect(user: user, now: h.now))
                case 4:
                    h.absorb(h.state.disconnect(user: user, now: h.now))
                case 5:
                    if let fx = try? h.state.sitIn(user: user, now: h.now) { h.absorb(fx) }
                case 6:
                    if let fx = try? h.state.sitOut(user: user, now: h.now) { h.absorb(fx) }
                case 7:
                    h.advance(Int64(rng.next() % 70_000))
                case 8:
                    // A random user tries a random action: most are refused and change nothing.
                    let before = h.state.version
                    do { try h.act(user, [.fold, .check, .call, .allIn, .raise(to: 7)][Int(rng.next() % 5)]) } catch {
                        #expect(h.state.version == before)
                    }
                default:
                    if let u = h.toAct, let legal = h.state.hand?.legalActions() {
                        try h.act(u, legal.randomAction(using: &rng))
                    } else {
                        h.advance(Int64(rng.next() % 3_000))
                    }
                }
                try #require(h.conserved(), "seed \(seed)")
                for case let s? in h.state.seats { #expect(s.stack >= 0 && s.paidDuringHand >= 0) }
                let users = h.state.seats.compactMap { $0?.phase == .seated ? $0?.user : nil }
                #expect(Set(users).count == users.count)
            }
            // Everybody leaves; the running hand plays out by itself.
            for u in 1...8 { _ = try? h.leave(UserID(Int64(u))) }
            for _ in 0..<20 where h.state.isHandRunning { h.advance(70_000) }
            #expect(h.state.seats.allSatisfy { $0 == nil }, "seed \(seed)")
            #expect(h.cashedOut + h.state.totalRake == h.buyIns, "seed \(seed)")
            for r in h.hands {
                #expect(r.players.reduce(0) { $0 + $1.delta } == -r.rake)
                if r.record.wentToShowdown { showdowns += 1 }
                timeouts += r.record.actions.filter(\.timedOut).count
            }
            handsPlayed += h.hands.count
            midHandLeaves += h.cashOuts.filter { $0.reason == .handEndAfterLeave }.count
        }
        // The sequences really exercise hands, showdowns, timeouts and leavers paid at the end.
        #expect(handsPlayed > 300)
        #expect(showdowns > 20)
        #expect(timeouts > 20)
        #expect(midHandLeaves > 0)
    }
}
