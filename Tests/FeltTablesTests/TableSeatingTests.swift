import Testing
import PokerEngine
@testable import FeltTables

@Suite("Seating: join and leave")
struct TableSeatingTests {
    @Test("join takes the first free seat and counts the buy-in")
    func joinSeats() throws {
        var h = try Harness()
        #expect(try h.join(alice, 100) == 0)
        #expect(try h.join(bob, 150) == 1)
        #expect(h.state.seat(of: alice)?.stack == 100)
        #expect(h.state.seat(of: bob)?.stack == 150)
        #expect(h.state.totalBuyIns == 250)
    }

    @Test("a full table refuses with table_full and changes nothing")
    func tableFull() throws {
        var h = try Harness(testSettings(seats: 2))
        try h.join(alice); try h.join(bob)
        let before = h.state.seats
        #expect(throws: TableError.tableFull) { try h.join(carol) }
        #expect(h.state.seats == before)
        #expect(TableError.tableFull.code == "table_full")
    }

    @Test("joining twice gives already_seated")
    func alreadySeated() throws {
        var h = try Harness()
        try h.join(alice)
        #expect(throws: TableError.alreadySeated) { try h.join(alice) }
        #expect(h.state.seatedCount == 1)
    }

    @Test("buy-ins outside the range give invalid_buy_in")
    func invalidBuyIn() throws {
        var h = try Harness()
        #expect(throws: TableError.invalidBuyIn(amount: 39, min: 40, max: 400)) { try h.join(alice, 39) }
        #expect(throws: TableError.invalidBuyIn(amount: 401, min: 40, max: 400)) { try h.join(alice, 401) }
        #expect(h.state.seatedCount == 0)
        #expect(try h.join(alice, 400) == 0)
    }

    @Test("a private table needs the server's passphrase check")
    func privateTable() throws {
        var state = try TableState(settings: testSettings(isPrivate: true))
        #expect(throws: TableError.wrongPassphrase) {
            _ = try state.join(user: alice, username: "alice", buyIn: 100, now: t0)
        }
        let r = try state.join(user: alice, username: "alice", buyIn: 100, passphraseVerified: true, now: t0)
        #expect(r.seat == 0)
    }

    @Test("leave between hands returns the stack; a second leave is not_seated and moves nothing")
    func leaveTwice() throws {
        var h = try Harness()
        try h.join(alice, 120)
        let out = try h.leave(alice)
        #expect(out.returned == 120)
        #expect(!out.paidAtHandEnd)
        #expect(h.cashOuts.map(\.amount) == [120])
        #expect(throws: TableError.notSeated) { try h.leave(alice) }
        #expect(h.cashOuts.count == 1)
        #expect(h.state.seats.allSatisfy { $0 == nil })
    }

    @Test("actions from a user without a seat are not_seated")
    func actNotSeated() throws {
        var h = try Harness()
        try h.join(alice); try h.join(bob)
        #expect(throws: TableError.notSeated) { try h.act(carol, .call) }
    }

    @Test("a cancelled reservation frees the seat without counting a buy-in")
    func reservationCancelled() throws {
        var state = try TableState(settings: testSettings(seats: 2))
        let seat = try state.reserveSeat(user: alice, username: "alice", buyIn: 100)
        #expect(throws: TableError.alreadySeated) { _ = try state.reserveSeat(user: alice, username: "alice", buyIn: 100) }
        state.cancelReservation(user: alice)
        #expect(state.seats[seat] == nil)
        #expect(state.totalBuyIns == 0)
        #expect(throws: TableError.notSeated) { _ = try state.leave(user: alice, now: t0) }
    }
}

@Suite("Closing a table")
struct TableClosingTests {
    @Test("closing pays everyone out after the running hand and refuses new joins")
    func closeDrains() throws {
        var h = try Harness()
        try h.seatAll([(alice, 200), (bob, 200), (carol, 200)])
        #expect(h.state.isHandRunning)
        h.absorb(h.state.close(now: h.now))
        #expect(h.state.isHandRunning)
        #expect(throws: TableError.tableClosed(reason: "the table is closing")) { try h.join(dave) }
        while let u = h.toAct {
            let legal = try #require(h.state.hand?.legalActions())
            try h.act(u, legal.canCheck ? .check : .call)
        }
        h.advance(10_000)
        #expect(h.state.isClosed)
        #expect(h.state.handNumber == 1)
        #expect(h.cashOuts.filter { $0.reason == .tableClosed }.count + h.cashOuts.filter { $0.reason == .busted }.count == 3)
        #expect(h.cashedOut == h.buyIns)
    }
}

@Suite("Client action mapping")
struct PlayerActionWireTests {
    @Test("wire action types map to engine actions; bad ones are bad_message")
    func mapping() throws {
        #expect(try PlayerAction(wireType: "fold", amount: nil) == .fold)
        #expect(try PlayerAction(wireType: "check", amount: 5) == .check)
        #expect(try PlayerAction(wireType: "call", amount: nil) == .call)
        #expect(try PlayerAction(wireType: "all_in", amount: nil) == .allIn)
        #expect(try PlayerAction(wireType: "bet", amount: 10) == .bet(10))
        #expect(try PlayerAction(wireType: "raise", amount: 100) == .raise(to: 100))
        #expect(throws: TableError.badMessage(reason: "raise needs an amount (the raise-to total)")) {
            try PlayerAction(wireType: "raise", amount: nil)
        }
        #expect((try? PlayerAction(wireType: "shove", amount: nil)) == nil)
        #expect((try? PlayerAction(wireType: "bet", amount: -3)) == nil)
        #expect(TableError.badMessage(reason: "x").code == "bad_message")
    }
}
