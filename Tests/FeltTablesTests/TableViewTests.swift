import Foundation
import FeltTestSupport
import Testing
import PokerEngine
@testable import FeltTables

@Suite("Game views and messages")
struct TableViewTests {
    func headsUp(seed: UInt64 = 7) throws -> Harness {
        var h = try Harness(seed: seed)
        try h.join(alice, 200); try h.join(bob, 150)
        return h
    }

    @Test("a player's view shows their own hole cards and nobody else's")
    func ownCardsOnly() throws {
        let h = try headsUp()
        let hand = try #require(h.state.hand)
        let view = parse(h.state.gameView(for: 0), seq: 5)
        #expect(view["type"] as? String == "game_view")
        #expect(view["seq"] as? Int == 5)
        #expect(view["table_id"] as? String == "t1")
        #expect(view["hand_number"] as? Int == 1)
        #expect(view["street"] as? String == "preflop")
        #expect(view["your_seat"] as? Int == 0)
        let ps = players(view)
        #expect(ps[0]?["cards"] as? [String] == hand.holeCards(of: 0).map(\.description))
        #expect(ps[1]?["cards"] as? [String] == [])
        #expect(ps[1]?["has_cards"] as? Bool == true)
        #expect(ps[0]?["username"] as? String == "alice")
        #expect(ps[0]?["stack"] as? Int == hand.stacks[0])
        #expect(ps[1]?["bet"] as? Int == 2)
        #expect(ps[0]?["status"] as? String == "active")
        let bobView = parse(h.state.gameView(for: 1))
        #expect(players(bobView)[1]?["cards"] as? [String] == hand.holeCards(of: 1).map(\.description))
        #expect(players(bobView)[0]?["cards"] as? [String] == [])
    }

    @Test("spectators see no hole cards before showdown")
    func spectatorHidden() throws {
        let h = try headsUp()
        let view = parse(h.state.gameView(for: nil))
        #expect(view["your_seat"] is NSNull)
        for p in players(view).values {
            #expect(p["cards"] as? [String] == [])
        }
        #expect(view["legal_actions"] is NSNull)
    }

    @Test("the player to act gets legal actions with call amount and raise-to range")
    func legalActions() throws {
        let h = try headsUp()
        let hand = try #require(h.state.hand)
        let legal = try #require(hand.legalActions())
        let mine = parse(h.state.gameView(for: legal.seat))
        let la = try #require(mine["legal_actions"] as? [String: Any])
        #expect(la["call_amount"] as? Int == legal.callAmount)
        #expect(la["min_raise_to"] as? Int == legal.minRaiseTo)
        #expect(la["max_raise_to"] as? Int == legal.maxRaiseTo)
        #expect(la["can_check"] as? Bool == legal.canCheck)
        #expect(mine["seat_to_act"] as? Int == legal.seat)
        #expect(mine["action_deadline"] as? Int == Int(t0 + 10_000))
        let other = parse(h.state.gameView(for: 1 - legal.seat))
        #expect(other["legal_actions"] is NSNull)
    }

    @Test("hands shown at showdown are visible to everyone; mucked ones are not")
    func shownAtShowdown() throws {
        var checked = 0
        for seed in UInt64(1)...10 {
            var h = try headsUp(seed: seed)
            while let u = h.toAct {
                let legal = try #require(h.state.hand?.legalActions())
                try h.act(u, legal.canCheck ? .check : .call)
            }
            let record = try #require(h.hands.last?.record)
            #expect(record.wentToShowdown)
            let view = parse(h.state.gameView(for: nil))
            let ps = players(view)
            for sd in record.showdown {
                let cards = ps[sd.seat]?["cards"] as? [String]
                if sd.shown {
                    #expect(cards == sd.cards.map(\.description))
                } else {
                    #expect(cards == [])
                    checked += 1
                }
            }
            #expect(view["board"] as? [String] == record.board.map(\.description))
            // The showdown event carries shown hands and the winners.
            let sdEvent = h.events.first { if case .showdown = $0 { true } else { false } }
            let msg = parse(TableMessages.event(try #require(sdEvent), tableID: "t1"))
            #expect(msg["type"] as? String == "event")
            #expect(msg["event"] as? String == "showdown")
            let winners = msg["winners"] as? [[String: Any]] ?? []
            #expect(winners.map { $0["amount"] as? Int ?? -1 } == record.winners.map(\.amount))
        }
        // Across these seeds at least one loser mucked (the check above ran).
        #expect(checked > 0)
    }

    @Test("player names are JSON-escaped")
    func escaping() throws {
        var state = try TableState(settings: testSettings())
        _ = try state.join(user: alice, username: "a\"b\\c\n\u{1}é", buyIn: 100, now: t0)
        let view = parse(state.gameView(for: nil))
        #expect(players(view)[0]?["username"] as? String == "a\"b\\c\n\u{1}é")
    }

    @Test("events and errors render as complete messages")
    func eventsAndErrors() throws {
        let err = parse(TableMessages.error(.invalidAction(reason: "cannot check with active bet: 2 to call")))
        #expect(err["type"] as? String == "error")
        #expect(err["code"] as? String == "invalid_action")
        #expect(err["message"] as? String == "Invalid action: cannot check with active bet: 2 to call")
        var h = try headsUp()
        try h.act(alice, .raise(to: 6))
        for e in h.events {
            let m = parse(TableMessages.event(e, tableID: "t1"))
            #expect(m["type"] as? String == "event")
            #expect(m["event"] is String)
        }
        let action = h.events.compactMap { e -> ActionRecord? in if case .action(_, let a) = e { a } else { nil } }
        #expect(action.map(\.to) == [6])
        let m = parse(TableMessages.event(.action(handNumber: 1, action[0]), tableID: "t1"))
        #expect(m["action"] as? String == "raise")
        #expect(m["to"] as? Int == 6)
        #expect(m["seat"] as? Int == 0)
    }

    @Test("seq goes first and increases per connection while the body is shared")
    func seqPrefix() throws {
        let h = try headsUp()
        let shared = h.state.gameView(for: nil)
        var out: [UInt8] = []
        for seq in UInt64(1)...3 {
            shared.write(seq: seq, into: &out)
            out.append(UInt8(ascii: "\n"))
        }
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n")
        let seqs = lines.compactMap { line -> Int? in
            let obj = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any]
            return obj?["seq"] as? Int
        }
        #expect(seqs == [1, 2, 3])
        #expect(lines.allSatisfy { $0.hasPrefix("{\"type\":\"game_view\",\"seq\":") })
    }

    @Test("integers render like Swift's description, negatives included")
    func integers() {
        for v: Int64 in [0, 7, -7, 10, 1_800_000_000_000, Int64.max, Int64.min] {
            var w = JSONWriter()
            w.int64(v)
            #expect(String(decoding: w.bytes, as: UTF8.self) == String(v))
        }
    }

    @Test("across random play, each seat's view differs from the spectator's only in its own seat and legal actions")
    func viewsConsistent() throws {
        var rng = SplitMix64(seed: 99)
        var h = try Harness(testSettings(seats: 4), seed: 5)
        try h.seatAll([(alice, 200), (bob, 150), (carol, 100), (dave, 80)])
        var checked = 0
        for _ in 0..<400 {
            if let u = h.toAct, let legal = h.state.hand?.legalActions() {
                try h.act(u, legal.randomAction(using: &rng))
            } else {
                h.advance(1_000)
                for u in [alice, bob, carol, dave] where h.state.seat(of: u) == nil { _ = try? h.join(u, 100) }
            }
            let spectator = parse(h.state.gameView(for: nil))
            let sp = players(spectator)
            let running = h.state.isHandRunning
            for (seat, p) in sp where running {
                // Before the hand ends, nobody's cards are public unless exposed all in.
                if !(h.state.hand?.handsExposed ?? false) { #expect(p["cards"] as? [String] == [], "seat \(seat)") }
            }
            for case let s? in h.state.seats {
                let view = parse(h.state.gameView(for: s.seat))
                let vp = players(view)
                #expect(Set(vp.keys) == Set(sp.keys))
                for (seat, p) in vp where seat != s.seat {
                    #expect(NSDictionary(dictionary: p) == NSDictionary(dictionary: sp[seat] ?? [:]))
                }
                if running, s.inHand, let hand = h.state.hand {
                    #expect(vp[s.seat]?["cards"] as? [String] == hand.holeCards(of: s.seat).map(\.description))
                }
                let hasLegal = !(view["legal_actions"] is NSNull)
                #expect(hasLegal == (running && h.state.seatToAct == s.seat))
                #expect(view["your_seat"] as? Int == s.seat)
                checked += 1
            }
        }
        #expect(checked > 400)
    }
}

@Suite("Table snapshot")
struct TableSnapshotTests {
    @Test("the snapshot carries the table's settings, counts and seat map")
    func lobby() throws {
        var h = try Harness(testSettings(isPrivate: true))
        _ = try h.state.join(user: alice, username: "alice", buyIn: 120, passphraseVerified: true, now: h.now)
        let snap = h.state.snapshot(spectators: 3)
        #expect(snap.tableID == "t1")
        #expect(snap.variant == .nlhe)
        #expect(snap.bigBlind == 2)
        #expect(snap.buyInMin == 40 && snap.buyInMax == 400)
        #expect(snap.seatCount == 6 && snap.seatedCount == 1 && snap.spectatorCount == 3)
        #expect(snap.isPrivate == true)
        #expect(snap.status == .waiting)
        #expect(snap.seats.map(\.username) == ["alice"])
        #expect(snap.seats.map(\.stack) == [120])
        #expect(snap.handNumber == 0)
    }
}
