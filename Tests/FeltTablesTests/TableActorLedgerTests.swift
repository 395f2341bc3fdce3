import FeltTestSupport
import Testing
import PokerEngine
@testable import FeltTables

@Suite("Table actor and ledger order")
struct TableActorLedgerTests {
    @Test("an all-in leaver's winnings reach the wallet after the hand is recorded")
    func allInLeaverThroughLedger() async throws {
        for seed in UInt64(1)...4 {
            let ledger = MemoryLedger(wallets: [alice: 1_000, bob: 1_000])
            let table = try TableActor(settings: testSettings(), ledger: ledger, clock: ManualTableClock(start: t0),
                                       deckSource: .seeded(SeededCardRandom(seed: seed)), automaticTimers: false)
            try await seatAliceAndBob(at: table, buyIn: 300)
            try await table.act(user: alice, action: .allIn).get()
            let out = try await table.leave(user: alice).get()
            #expect(out.returned == 0 && out.paidAtHandEnd)
            try await table.act(user: bob, action: .call).get()
            await table.drainLedger()
            let record = try #require(await ledger.hands.first?.record)
            #expect(await ledger.escrowOf(alice) == 0)
            #expect(await ledger.wallet(alice) == 700 + record.seats[0].finalStack)
            #expect(await ledger.total == 2_000)
        }
    }

    @Test("random play through the actor keeps the ledger balanced and empties every escrow at the end")
    func randomPlayBalances() async throws {
        let users = (1...6).map { UserID(Int64($0)) }
        for seed in UInt64(1)...5 {
            var rng = SplitMix64(seed: seed)
            let ledger = MemoryLedger(wallets: Dictionary(uniqueKeysWithValues: users.map { ($0, 2_000) }))
            let clock = ManualTableClock(start: t0)
            let failures = FailureLog()
            let table = try TableActor(settings: testSettings(seats: 4, timeBank: 2_000, pause: 500, grace: 3_000,
                                                              rake: RakeRule(basisPoints: 500, capPerHand: 3)),
                                       ledger: ledger, clock: clock, deckSource: .seeded(SeededCardRandom(seed: seed)),
                                       automaticTimers: false, onFailure: { failures.append($0) })
            for step in 0..<300 {
                let user = users[Int(rng.next() % 6)]
                switch rng.next() % 16 {
                case 0, 6: _ = await table.join(user: user, username: "u\(user)", buyIn: 40 + Int(rng.next() % 360))
                case 1: _ = await table.leave(user: user)
                case 2: await table.connect(viewer: ViewerID(UInt64(step)), user: user, sink: RecordingSink())
                case 3: await table.disconnect(viewer: ViewerID(UInt64(rng.next() % UInt64(step + 1))))
                case 4, 5:
                    clock.advance(by: Int64(rng.next() % 20_000))
                    await table.tick()
                default:
                    let state = await table.currentState()
                    if let hand = state.hand, !hand.isFinished, let legal = hand.legalActions(),
                       let u = state.seats[legal.seat]?.user {
                        _ = await table.act(user: u, action: legal.randomAction(using: &rng))
                    } else {
                        clock.advance(by: 1_000)
                        await table.tick()
                    }
                }
                await table.drainLedger()
                #expect(await ledger.total == 12_000, "seed \(seed) step \(step)")
            }
            for u in users { _ = await table.leave(user: u) }
            for _ in 0..<30 {
                clock.advance(by: 60_000)
                await table.tick()
                await table.drainLedger()
            }
            #expect(failures.all.isEmpty, "seed \(seed)")
            #expect(await ledger.hands.count > 5, "seed \(seed)")
            let state = await table.currentState()
            #expect(state.seats.allSatisfy { $0 == nil }, "seed \(seed)")
            for u in users { #expect(await ledger.escrowOf(u) == 0, "seed \(seed) user \(u)") }
            let wallets = await users.asyncSum { await ledger.wallet($0) }
            #expect(wallets + (await ledger.house) == 12_000)
            #expect(await ledger.house == state.totalRake)
        }
    }
}

extension Array {
    func asyncSum(_ f: (Element) async -> Int) async -> Int {
        var s = 0
        for e in self { s += await f(e) }
        return s
    }
}
