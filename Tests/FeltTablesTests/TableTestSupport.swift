import Foundation
import Testing
import PokerEngine
@testable import FeltTables

/// Start of every test clock (unix ms).
let t0: Int64 = 1_800_000_000_000

/// Settings for tests: NLHE 1/2, buy-in 40...400, 10 s to act, no time bank unless given.
func testSettings(seats: Int = 6, timeBank: Int64 = 0, pause: Int64 = 1_000, sitOut: Int64 = 60_000,
                  grace: Int64 = 0, isPrivate: Bool = false, rake: RakeRule = .none) -> TableSettings {
    TableSettings(tableID: "t1", name: "Test table",
                  rules: GameRules(variant: .nlhe, smallBlind: 1, bigBlind: 2, rake: rake),
                  buyInMin: 40, buyInMax: 400, seatCount: seats, actionTimeoutMillis: 10_000,
                  timeBankMillis: timeBank, isPrivate: isPrivate, handPauseMillis: pause,
                  sitOutTimeoutMillis: sitOut, reconnectGraceMillis: grace)
}

let alice = UserID(1), bob = UserID(2), carol = UserID(3), dave = UserID(4)

func name(_ u: UserID) -> String { ["", "alice", "bob", "carol", "dave", "erin", "frank", "gina"][Int(u.rawValue) % 8] }

/// Drives a `TableState` like the actor does, without I/O: records hands and cash-outs and
/// confirms every hand record at once.
struct Harness {
    var state: TableState
    var now: Int64 = t0
    var hands: [HandResult] = []
    var cashOuts: [CashOut] = []
    var events: [TableEvent] = []
    var buyIns = 0

    init(_ settings: TableSettings = testSettings(), seed: UInt64 = 7) throws {
        state = try TableState(settings: settings, deckSource: .seeded(SeededCardRandom(seed: seed)))
    }

    mutating func absorb(_ effects: [TableEffect]) {
        for e in effects {
            switch e {
            case .event(let ev): events.append(ev)
            case .cashOut(let c): cashOuts.append(c)
            case .handFinished(let r):
                hands.append(r)
                absorb(state.handRecorded(now: now))
            case .wake, .stopped: break
            }
        }
    }

    @discardableResult
    mutating func join(_ user: UserID, _ buyIn: Int = 200) throws -> Int {
        let r = try state.join(user: user, username: name(user), buyIn: buyIn, now: now)
        buyIns += buyIn
        absorb(r.effects)
        return r.seat
    }

    /// Seats several players before the first hand starts, then starts it.
    mutating func seatAll(_ players: [(UserID, Int)]) throws {
        state.nextHandAt = now + 1
        for (u, b) in players { try join(u, b) }
        advance(1)
    }

    @discardableResult
    mutating func leave(_ user: UserID) throws -> LeaveOutcome {
        let r = try state.leave(user: user, now: now)
        absorb(r.effects)
        return r.outcome
    }

    mutating func act(_ user: UserID, _ action: PlayerAction) throws {
        absorb(try state.act(user: user, action: action, now: now))
    }

    /// Moves time forward and ticks.
    mutating func advance(_ millis: Int64) {
        now += millis
        absorb(state.tick(now: now))
    }

    /// The user to act.
    var toAct: UserID? {
        guard let seat = state.seatToAct else { return nil }
        return state.seats[seat]?.user
    }

    var cashedOut: Int { cashOuts.reduce(0) { $0 + $1.amount } }

    /// Conservation as the ledger sees it.
    func conserved() -> Bool {
        state.accountedChips + state.totalRake + state.totalCashOuts == buyIns
            && cashedOut == state.totalCashOuts
            && hands.reduce(0, { $0 + $1.rake }) == state.totalRake
    }
}

/// Parses a complete message into a dictionary.
func parse(_ message: SharedMessage, seq: UInt64 = 1) -> [String: Any] {
    let data = Data(message.bytes(seq: seq))
    return (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] ?? [:]
}

/// The players array of a parsed view, by seat.
func players(_ view: [String: Any]) -> [Int: [String: Any]] {
    var out: [Int: [String: Any]] = [:]
    for p in view["players"] as? [[String: Any]] ?? [] {
        if let seat = p["seat"] as? Int { out[seat] = p }
    }
    return out
}
