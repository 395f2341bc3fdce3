import PokerEngine

/// Renders `{"type":"event",...}` and `{"type":"error",...}` messages.
public enum TableMessages {
    /// `{"type":"error","code":...,"message":...}` for a table error.
    public static func error(_ error: TableError) -> SharedMessage {
        self.error(code: error.code, message: error.message)
    }

    /// `{"type":"error","code":...,"message":...}` (also for the server's own codes such as
    /// `rate_limited`, `bad_message`, `join_via_http`).
    public static func error(code: String, message: String) -> SharedMessage {
        var w = JSONWriter(capacity: 64 + message.utf8.count)
        w.raw("{\"type\":\"error\",\"code\":")
        w.string(code)
        w.raw(",\"message\":")
        w.string(message)
        w.byte(UInt8(ascii: "}"))
        return SharedMessage(kind: .error, body: w.bytes)
    }

    /// `{"type":"event","event":NAME,"table_id":...,...}` for a table event.
    public static func event(_ event: TableEvent, tableID: String) -> SharedMessage {
        var w = JSONWriter(capacity: 160)
        w.raw("{\"type\":\"event\",\"event\":\"")
        switch event {
        case .handStarted(let n, let p, let seats):
            w.raw("hand_started\"")
            head(&w, tableID, n)
            w.raw(",\"button\":"); w.int(p.button)
            w.raw(",\"small_blind_seat\":"); if let sb = p.smallBlind { w.int(sb) } else { w.null() }
            w.raw(",\"big_blind_seat\":"); w.int(p.bigBlind)
            w.raw(",\"seats\":"); w.ints(seats)
        case .forcedBet(let n, let f):
            w.raw("forced_bet\"")
            head(&w, tableID, n)
            w.raw(",\"seat\":"); w.int(f.seat)
            w.raw(",\"kind\":"); w.string(f.kind.rawValue)
            w.raw(",\"amount\":"); w.int(f.amount)
            w.raw(",\"all_in\":"); w.bool(f.isAllIn)
        case .action(let n, let a):
            w.raw("action\"")
            head(&w, tableID, n)
            w.raw(",\"seat\":"); w.int(a.seat)
            w.raw(",\"street\":"); w.string(a.street.rawValue)
            w.raw(",\"action\":"); w.string(a.kind.rawValue)
            w.raw(",\"amount\":"); w.int(a.amount)
            w.raw(",\"to\":"); w.int(a.to)
            w.raw(",\"all_in\":"); w.bool(a.isAllIn)
            w.raw(",\"timed_out\":"); w.bool(a.timedOut)
            w.raw(",\"forfeited\":"); w.bool(a.isForfeit)
        case .uncalledBetReturned(let n, let p):
            w.raw("uncalled_bet_returned\"")
            head(&w, tableID, n)
            w.raw(",\"seat\":"); w.int(p.seat)
            w.raw(",\"amount\":"); w.int(p.amount)
        case .street(let n, let street, let cards, let board):
            w.raw("street\"")
            head(&w, tableID, n)
            w.raw(",\"street\":"); w.string(street.rawValue)
            w.raw(",\"cards\":"); w.cards(cards)
            w.raw(",\"board\":"); w.cards(board)
        case .handsExposed(let n, let hands):
            w.raw("hands_exposed\"")
            head(&w, tableID, n)
            w.raw(",\"hands\":[")
            for (i, h) in hands.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"seat\":"); w.int(h.seat)
                w.raw(",\"cards\":"); w.cards(h.cards)
                w.byte(UInt8(ascii: "}"))
            }
            w.byte(UInt8(ascii: "]"))
        case .showdown(let n, let shown, let pots, let winners):
            w.raw("showdown\"")
            head(&w, tableID, n)
            w.raw(",\"hands\":[")
            for (i, h) in shown.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"seat\":"); w.int(h.seat)
                w.raw(",\"shown\":"); w.bool(h.shown)
                w.raw(",\"cards\":"); if h.shown { w.cards(h.cards) } else { w.raw("[]") }
                w.raw(",\"category\":"); if h.shown { w.string(h.category) } else { w.null() }
                w.byte(UInt8(ascii: "}"))
            }
            w.raw("],\"pots\":[")
            for (i, p) in pots.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                w.raw("{\"amount\":"); w.int(p.amount)
                w.raw(",\"rake\":"); w.int(p.rake)
                w.raw(",\"eligible\":"); w.ints(p.eligible)
                w.raw(",\"winners\":[")
                for (j, win) in p.winners.enumerated() {
                    if j > 0 { w.byte(UInt8(ascii: ",")) }
                    w.raw("{\"seat\":"); w.int(win.seat)
                    w.raw(",\"amount\":"); w.int(win.amount)
                    w.byte(UInt8(ascii: "}"))
                }
                w.raw("]}")
            }
            w.byte(UInt8(ascii: "]"))
            winnersField(&w, winners)
        case .handFinished(let n, let winners, let rake, let stacks):
            w.raw("hand_finished\"")
            head(&w, tableID, n)
            winnersField(&w, winners)
            w.raw(",\"rake\":"); w.int(rake)
            w.raw(",\"stacks\":[")
            for (i, s) in stacks.enumerated() {
                if i > 0 { w.byte(UInt8(ascii: ",")) }
                if let s { w.int(s) } else { w.null() }
            }
            w.byte(UInt8(ascii: "]"))
        case .playerJoined(let seat, let username, let stack):
            w.raw("player_joined\"")
            w.raw(",\"table_id\":"); w.string(tableID)
            w.raw(",\"seat\":"); w.int(seat)
            w.raw(",\"username\":"); w.string(username)
            w.raw(",\"stack\":"); w.int(stack)
        case .playerLeft(let seat, let username, let reason):
            w.raw("player_left\"")
            w.raw(",\"table_id\":"); w.string(tableID)
            w.raw(",\"seat\":"); w.int(seat)
            w.raw(",\"username\":"); w.string(username)
            w.raw(",\"reason\":"); w.string(reason.rawValue)
        case .sittingOut(let seat, let username, let out):
            w.raw("sitting_out\"")
            w.raw(",\"table_id\":"); w.string(tableID)
            w.raw(",\"seat\":"); w.int(seat)
            w.raw(",\"username\":"); w.string(username)
            w.raw(",\"sitting_out\":"); w.bool(out)
        }
        w.byte(UInt8(ascii: "}"))
        return SharedMessage(kind: .event, body: w.bytes)
    }

    private static func head(_ w: inout JSONWriter, _ tableID: String, _ hand: Int) {
        w.raw(",\"table_id\":"); w.string(tableID)
        w.raw(",\"hand_number\":"); w.int(hand)
    }

    private static func winnersField(_ w: inout JSONWriter, _ winners: [WinnerShare]) {
        w.raw(",\"winners\":[")
        for (i, win) in winners.enumerated() {
            if i > 0 { w.byte(UInt8(ascii: ",")) }
            w.raw("{\"seat\":"); w.int(win.seat)
            w.raw(",\"username\":"); w.string(win.username)
            w.raw(",\"amount\":"); w.int(win.amount)
            w.byte(UInt8(ascii: "}"))
        }
        w.byte(UInt8(ascii: "]"))
    }
}
