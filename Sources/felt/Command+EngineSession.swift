import FeltTables
import Foundation
import PokerEngine

/// One `felt engine` session: at most one hand at a time, driven by JSON requests.
struct EngineSession {
    var hand: HandState?
    /// Index of the first event not yet reported.
    var eventCursor = 0

    /// An error answer.
    struct Failure: Error {
        let code: String
        let message: String
    }

    /// Handles one request line and returns one answer line.
    mutating func handle(_ line: String) -> String {
        var id: JSONValue?
        do {
            guard let parsed = try? JSONDecoder().decode(JSONInput.self, from: Data(line.utf8)),
                  case .object(let request) = parsed else {
                throw Failure(code: "bad_json", message: "each line must be one JSON object")
            }
            id = request["id"]?.echo
            var answer = try dispatch(request)
            if let id { answer["id"] = id }
            return JSONValue.object(answer).serialized
        } catch let failure as Failure {
            var answer: [String: JSONValue] = ["error": .string(failure.message), "code": .string(failure.code)]
            if let id { answer["id"] = id }
            return JSONValue.object(answer).serialized
        } catch {
            return JSONValue.object(["error": .string("\(error)"), "code": .string("internal")]).serialized
        }
    }

    mutating func dispatch(_ request: [String: JSONInput]) throws -> [String: JSONValue] {
        guard case .string(let cmd)? = request["cmd"] else {
            throw Failure(code: "bad_request", message: "missing \"cmd\" (new, act, state, view, record)")
        }
        switch cmd {
        case "new":
            let state = try Self.newHand(request)
            hand = state
            eventCursor = 0
            return describe()
        case "act":
            guard var state = hand else { throw Failure(code: "no_hand", message: "no hand: send {\"cmd\":\"new\",…} first") }
            let action = try Self.action(request, legal: state.legalActions())
            guard let actor = state.actor else { throw Failure(code: HandError.handFinished.code, message: HandError.handFinished.reason) }
            let seat = try Self.optionalInt(request, "seat") ?? actor
            do { try state.apply(action, by: seat) } catch { throw Failure(code: error.code, message: error.reason) }
            hand = state
            return describe()
        case "state":
            guard hand != nil else { throw Failure(code: "no_hand", message: "no hand: send {\"cmd\":\"new\",…} first") }
            return describe()
        case "view":
            guard let state = hand else { throw Failure(code: "no_hand", message: "no hand: send {\"cmd\":\"new\",…} first") }
            let seat = try Self.optionalInt(request, "seat")
            if let seat, !(0..<state.seatCount).contains(seat) {
                throw Failure(code: "bad_request", message: "seat \(seat) is not a seat (0..<\(state.seatCount))")
            }
            return ["view": try JSONValue.encode(state.view(for: seat), snakeCase: true)]
        case "record":
            guard let state = hand else { throw Failure(code: "no_hand", message: "no hand: send {\"cmd\":\"new\",…} first") }
            guard let record = state.record else {
                throw Failure(code: "hand_in_progress", message: "the hand is not finished yet")
            }
            return ["record": try JSONValue.encode(record, snakeCase: false)]
        default:
            throw Failure(code: "bad_request", message: "unknown cmd \"\(cmd)\" (new, act, state, view, record)")
        }
    }

    // MARK: Requests

    static func optionalInt(_ request: [String: JSONInput], _ key: String) throws -> Int? {
        guard let raw = request[key], !raw.isNull else { return nil }
        guard case .int(let value) = raw else {
            throw Failure(code: "bad_request", message: "\"\(key)\" must be an integer")
        }
        return value
    }

    static func intArray(_ request: [String: JSONInput], _ key: String) throws -> [Int]? {
        guard let raw = request[key], !raw.isNull else { return nil }
        guard case .array(let list) = raw else { throw Failure(code: "bad_request", message: "\"\(key)\" must be an array of integers") }
        return try list.map { item in
            guard case .int(let value) = item else {
                throw Failure(code: "bad_request", message: "\"\(key)\" must be an array of integers")
            }
            return value
        }
    }

    static func cardList(_ raw: JSONInput?, _ what: String) throws -> [Card] {
        guard let raw, !raw.isNull else { return [] }
        guard case .array(let list) = raw else { throw Failure(code: "bad_request", message: "\(what) must be an array of cards like \"Ah\"") }
        return try list.map { item in
            guard case .string(let text) = item, let card = Card(text) else {
                throw Failure(code: "bad_card", message: "\(what): \(item.brief) is not a card (rank 23456789TJQKA + suit cdhs, e.g. \"Ah\")")
            }
            return card
        }
    }

    static func newHand(_ request: [String: JSONInput]) throws -> HandState {
        var variantName = "nlhe"
        if let raw = request["variant"], !raw.isNull {
            guard case .string(let name) = raw else { throw Failure(code: "bad_request", message: "variant must be nlhe, plo or flhe") }
            variantName = name
        }
        guard let variant = GameVariant(rawValue: variantName) else {
            throw Failure(code: "bad_request", message: "variant must be nlhe, plo or flhe")
        }
        guard let stacks = try intArray(request, "stacks") else {
            throw Failure(code: "bad_request", message: "\"stacks\" (one integer per seat) is required")
        }
        var setups = stacks.map { SeatSetup(stack: $0) }
        if let sittingOut = try intArray(request, "sitting_out") {
            for seat in sittingOut {
                guard setups.indices.contains(seat) else { throw Failure(code: "bad_request", message: "sitting_out seat \(seat) is not a seat") }
                setups[seat].sittingIn = false
            }
        }
        let blinds = try intArray(request, "blinds") ?? [1, 2]
        guard blinds.count == 2 else { throw Failure(code: "bad_request", message: "\"blinds\" must be [small, big]") }
        var ante = Ante.none
        if let raw = request["ante"], !raw.isNull {
            guard case .object(let a) = raw, case .string(let type)? = a["type"] else {
                throw Failure(code: "bad_request", message: "\"ante\" must be {\"type\":\"none|per_player|big_blind\",\"amount\":N}")
            }
            let amount = try optionalInt(a, "amount") ?? 0
            switch type {
            case "none": ante = .none
            case "per_player": ante = .perPlayer(amount)
            case "big_blind": ante = .bigBlind(amount)
            default: throw Failure(code: "bad_request", message: "ante type must be none, per_player or big_blind")
            }
        }
        var smallBet: Int?, bigBet: Int?
        if let sizes = try intArray(request, "bet_sizes") {
            guard sizes.count == 2 else { throw Failure(code: "bad_request", message: "\"bet_sizes\" must be [small_bet, big_bet]") }
            smallBet = sizes[0]; bigBet = sizes[1]
        }
        let capValue = try optionalInt(request, "raise_cap") ?? 4
        var rake = RakeRule.none
        if let raw = request["rake"], !raw.isNull {
            guard case .object(let r) = raw else { throw Failure(code: "bad_request", message: "\"rake\" must be an object") }
            rake = RakeRule(basisPoints: try optionalInt(r, "basis_points") ?? 0,
                            capPerHand: try optionalInt(r, "cap") ?? 0,
                            noFlopNoDrop: try Self.optionalBool(r, "no_flop_no_drop") ?? true)
        }
        let rules = GameRules(variant: variant, smallBlind: blinds[0], bigBlind: blinds[1], ante: ante,
                              smallBet: smallBet, bigBet: bigBet, raiseCap: capValue > 0 ? capValue : nil, rake: rake)
        do {
            try rules.validate()
            guard (2...10).contains(setups.count) else { throw HandError.invalidSetup("a table has 2 to 10 seats, got \(setups.count)") }
            let positions: HandPositions
            if let raw = request["positions"], !raw.isNull {
                guard case .object(let p) = raw, let button = try optionalInt(p, "button"), let bb = try optionalInt(p, "big_blind") else {
                    throw Failure(code: "bad_request", message: "\"positions\" must be {\"button\":N,\"small_blind\":N|null,\"big_blind\":N}")
                }
                positions = HandPositions(button: button, smallBlind: try optionalInt(p, "small_blind"), bigBlind: bb)
            } else {
                let button = try optionalInt(request, "button") ?? 0
                guard let standard = HandPositions.standard(button: button, seats: setups) else {
                    if !(0..<setups.count).contains(button) { throw HandError.invalidSetup("button \(button) is not a seat") }
                    throw HandError.notEnoughPlayers
                }
                positions = standard
            }
            let deck: [Card]
            if let raw = request["deck"], !raw.isNull {
                deck = try cardList(raw, "deck")
            } else if let raw = request["cards"], !raw.isNull {
                guard case .object(let spec) = raw else {
                    throw Failure(code: "bad_request", message: "\"cards\" must be {\"hole\":[[…],…],\"board\":[…]}")
                }
                var hole: [[Card]] = []
                if let rawHole = spec["hole"], !rawHole.isNull {
                    guard case .array(let list) = rawHole else { throw Failure(code: "bad_request", message: "cards.hole must be an array per seat") }
                    hole = try list.enumerated().map { try cardList($0.element, "cards.hole[\($0.offset)]") }
                }
                let board = try cardList(spec["board"], "cards.board")
                deck = try HandState.arrangeDeck(variant: variant, seats: setups, positions: positions, holeCards: hole, board: board)
            } else {
                deck = Card.fullDeck.shuffled()
            }
            return try HandState(rules: rules, seats: setups, positions: positions, deck: deck)
        } catch let error as HandError {
            throw Failure(code: error.code, message: error.reason)
        }
    }

    static func action(_ request: [String: JSONInput], legal: LegalActions?) throws -> PlayerAction {
        guard case .string(let name)? = request["action"] else {
            throw Failure(code: "bad_request", message: "\"action\" is required (fold, check, call, bet, raise, all_in, timeout)")
        }
        switch name {
        case "fold": return .fold
        case "check": return .check
        case "call": return .call
        case "all_in", "allin": return .allIn
        case "timeout": return .timeout
        case "bet", "raise":
            guard let amount = try optionalInt(request, "amount") else {
                throw Failure(code: "bad_request", message: "\(name) needs \"amount\" (the raise-to total for the street)")
            }
            return name == "bet" ? .bet(amount) : .raise(to: amount)
        default:
            throw Failure(code: "bad_request", message: "unknown action \"\(name)\" (fold, check, call, bet, raise, all_in, timeout)")
        }
    }

    static func optionalBool(_ request: [String: JSONInput], _ key: String) throws -> Bool? {
        guard let raw = request[key], !raw.isNull else { return nil }
        guard case .bool(let value) = raw else { throw Failure(code: "bad_request", message: "\"\(key)\" must be true or false") }
        return value
    }

    // MARK: Answers

    /// The state answer; also reports the events since the previous answer.
    mutating func describe() -> [String: JSONValue] {
        guard let state = hand else { return [:] }
        var out: [String: JSONValue] = [:]
        out["status"] = .string(state.isFinished ? "finished" : "in_progress")
        out["variant"] = .string(state.rules.variant.rawValue)
        out["street"] = .string(state.street.rawValue)
        out["board"] = .array(state.board.map { .string($0.description) })
        out["button"] = .int(state.positions.button)
        out["small_blind"] = state.positions.smallBlind.map(JSONValue.int) ?? .null
        out["big_blind"] = .int(state.positions.bigBlind)
        out["actor"] = state.actor.map(JSONValue.int) ?? .null
        if let legal = state.legalActions() {
            out["legal"] = .object([
                "seat": .int(legal.seat), "can_fold": .bool(legal.canFold), "can_check": .bool(legal.canCheck),
                "call_amount": .int(legal.callAmount), "can_raise": .bool(legal.canRaise),
                "min_raise_to": legal.canRaise ? .int(legal.minRaiseTo) : .null,
                "max_raise_to": legal.canRaise ? .int(legal.maxRaiseTo) : .null,
                "is_bet": .bool(legal.isBet),
            ])
        } else {
            out["legal"] = .null
        }
        out["stacks"] = .array(state.stacks.map(JSONValue.int))
        out["bets"] = .array(state.bets.map(JSONValue.int))
        out["street_bet"] = .int(state.streetBet)
        out["statuses"] = .array(state.statuses.map { .string($0.rawValue) })
        out["contributions"] = .array(state.contributions.map(JSONValue.int))
        out["hole_cards"] = .array((0..<state.seatCount).map { seat in .array(state.holeCards(of: seat).map { .string($0.description) }) })
        out["pots"] = .array(state.pots.map { .object(["amount": .int($0.amount), "eligible": .array($0.eligible.map(JSONValue.int))]) })
        out["total_pot"] = .int(state.totalPot)
        out["hands_exposed"] = .bool(state.handsExposed)
        let new = state.events[eventCursor...]
        eventCursor = state.events.count
        out["events"] = .array(new.map(Self.event))
        if state.isFinished {
            out["final_pots"] = .array(state.awardedPots.map { pot in
                .object(["amount": .int(pot.amount), "eligible": .array(pot.eligible.map(JSONValue.int)), "rake": .int(pot.rake),
                         "winners": .array(pot.winners.map { .object(["seat": .int($0.seat), "amount": .int($0.amount)]) })])
            })
            out["winners"] = .array(state.winnings.enumerated().filter { $0.element > 0 }.map {
                .object(["seat": .int($0.offset), "amount": .int($0.element)])
            })
            out["payouts"] = .array(state.winnings.map(JSONValue.int))
            out["returned"] = .array(state.returnedBets.map { .object(["seat": .int($0.seat), "amount": .int($0.amount)]) })
            out["showdown"] = .array(state.showdown.map(Self.shown))
            out["rake"] = .int(state.rake)
            if let record = state.record { out["deck_sha256"] = .string(record.deckSHA256) }
        }
        return out
    }

    static func shown(_ h: ShowdownHand) -> JSONValue {
        .object(["seat": .int(h.seat), "cards": .array(h.cards.map { .string($0.description) }), "shown": .bool(h.shown),
                 "strength": .int(h.strength), "category": .string(h.category)])
    }

    static func event(_ e: HandEvent) -> JSONValue {
        switch e {
        case .handStarted(let p):
            return .object(["type": .string("hand_started"), "button": .int(p.button),
                            "small_blind": p.smallBlind.map(JSONValue.int) ?? .null, "big_blind": .int(p.bigBlind)])
        case .forcedBet(let f):
            return .object(["type": .string("forced_bet"), "seat": .int(f.seat), "kind": .string(f.kind.rawValue),
                            "amount": .int(f.amount), "all_in": .bool(f.isAllIn)])
        case .holeCardsDealt(let seat):
            return .object(["type": .string("hole_cards_dealt"), "seat": .int(seat)])
        case .action(let a):
            return .object(["type": .string("action"), "seat": .int(a.seat), "street": .string(a.street.rawValue),
                            "kind": .string(a.kind.rawValue), "amount": .int(a.amount), "to": .int(a.to),
                            "all_in": .bool(a.isAllIn), "timed_out": .bool(a.timedOut)])
        case .uncalledBetReturned(let p):
            return .object(["type": .string("uncalled_bet_returned"), "seat": .int(p.seat), "amount": .int(p.amount)])
        case .streetDealt(let street, let cards):
            return .object(["type": .string("street_dealt"), "street": .string(street.rawValue),
                            "cards": .array(cards.map { .string($0.description) })])
        case .handsExposed(let seats):
            return .object(["type": .string("hands_exposed"), "seats": .array(seats.map(JSONValue.int))])
        case .potsFormed(let pots):
            return .object(["type": .string("pots_formed"), "pots": .array(pots.map {
                .object(["amount": .int($0.amount), "eligible": .array($0.eligible.map(JSONValue.int))])
            })])
        case .showdown(let h):
            var o: [String: JSONValue] = ["type": .string("showdown")]
            if case .object(let fields) = shown(h) { o.merge(fields) { a, _ in a } }
            return .object(o)
        case .potAwarded(let pot, let payout):
            return .object(["type": .string("pot_awarded"), "pot": .int(pot), "seat": .int(payout.seat), "amount": .int(payout.amount)])
        case .rakeTaken(let amount):
            return .object(["type": .string("rake_taken"), "amount": .int(amount)])
        case .handFinished:
            return .object(["type": .string("hand_finished")])
        }
    }
}

/// A small JSON value for building answers with stable key order.
enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// Pre-serialized JSON text (from `JSONEncoder`).
    case raw(String)

    /// Encodes an `Encodable` value through `JSONEncoder` into a `JSONValue`.
    static func encode(_ value: some Encodable, snakeCase: Bool) throws -> JSONValue {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        let data = try encoder.encode(value)
        return .raw(String(decoding: data, as: UTF8.self))
    }

    var serialized: String {
        var writer = JSONWriter()
        write(into: &writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    func write(into out: inout JSONWriter) {
        switch self {
        case .raw(let text): out.bytes.append(contentsOf: text.utf8)
        case .null: out.null()
        case .bool(let b): out.bool(b)
        case .int(let i): out.int(i)
        case .string(let s): out.string(s)
        case .array(let items):
            out.raw("[")
            for (i, item) in items.enumerated() {
                if i > 0 { out.raw(",") }
                item.write(into: &out)
            }
            out.raw("]")
        case .object(let fields):
            out.raw("{")
            for (i, field) in fields.sorted(by: { $0.key < $1.key }).enumerated() {
                if i > 0 { out.raw(",") }
                out.string(field.key)
                out.raw(":")
                field.value.write(into: &out)
            }
            out.raw("}")
        }
    }
}

/// A parsed JSON request value (integers and other numbers kept apart, booleans distinct).
enum JSONInput: Decodable, Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONInput])
    case object([String: JSONInput])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .number(d) }
        else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([JSONInput].self) { self = .array(a) }
        else { self = .object(try c.decode([String: JSONInput].self)) }
    }

    var isNull: Bool { if case .null = self { true } else { false } }

    /// The value to echo back (request ids): strings and integers only.
    var echo: JSONValue {
        switch self {
        case .string(let s): .string(s)
        case .int(let i): .int(i)
        default: .null
        }
    }

    /// Short text for error messages.
    var brief: String {
        switch self {
        case .null: "null"
        case .bool(let b): String(b)
        case .int(let i): String(i)
        case .number(let d): String(d)
        case .string(let s): "\"" + s + "\""
        case .array: "an array"
        case .object: "an object"
        }
    }
}
