import Testing
@testable import felt

/// `felt bots` logic without I/O: option parsing, the view scan, the move policy, think time.
@Suite("felt bots: options, view scan, policy, think time")
struct BotsPolicyTests {
    // MARK: Options

    @Test("Options: --think, --warmup and --setup-timeout parse, with documented defaults")
    func optionsParse() throws {
        let defaults = try BotsOptions([])
        #expect(defaults.think == 200)
        #expect(defaults.warmup == 5)
        #expect(defaults.setupTimeout == 300)
        let parsed = try BotsOptions(["--url", "http://127.0.0.1:8140", "--host", "bench.localhost", "--think", "150",
                                      "--warmup", "0", "--setup-timeout", "60", "--tables", "1000", "--loops", "2"])
        #expect(parsed.think == 150)
        #expect(parsed.warmup == 0)
        #expect(parsed.setupTimeout == 60)
        #expect(parsed.port == 8140 && parsed.host == "bench.localhost" && parsed.tables == 1000 && parsed.loops == 2)
        #expect(try BotsOptions(["--think", "0"]).think == 0)
    }

    @Test("Options: a negative or non-numeric think time, warm-up or setup timeout is a usage error")
    func optionsRejectBadValues() {
        for arguments in [["--think", "-1"], ["--think", "fast"], ["--warmup", "-2"], ["--setup-timeout", "0"],
                          ["--think", "nan"], ["--tables", "0"]] {
            #expect(throws: UsageError.self, "\(arguments)") { try BotsOptions(arguments) }
        }
    }

    // MARK: View scan

    static let seat2ToAct = #"{"type":"game_view","seq":7,"table_id":"nl-1","hand_number":12,"status":"playing","street":"flop","board":["Ah","Kd","2c"],"pots":[{"amount":30,"eligible":[0,2]}],"total_pot":50,"button":0,"small_blind_seat":2,"big_blind_seat":0,"seat_to_act":2,"action_deadline":123,"your_seat":2,"players":[{"seat":0,"user_id":1,"username":"b0","stack":170,"bet":20,"status":"active","cards":[],"has_cards":true,"won":0,"sitting_out":false,"connected":true,"time_bank":0},{"seat":2,"user_id":3,"username":"b2","stack":180,"bet":0,"status":"active","cards":["Qs","Qh"],"has_cards":true,"won":0,"sitting_out":false,"connected":true,"time_bank":0}],"legal_actions":{"can_fold":true,"can_check":false,"call_amount":20,"can_raise":true,"min_raise_to":40,"max_raise_to":180,"all_in_to":180}}"#

    @Test("Scan: the player to act reads hand, street, seat, legal actions, pot and its own bet")
    func scanPlayerToAct() {
        let message = BotMessage.scan(Self.seat2ToAct)
        #expect(message.kind == .gameView)
        #expect(message.handNumber == 12)
        #expect(message.playing)
        #expect(message.street == .flop)
        #expect(message.seatToAct == 2 && message.yourSeat == 2)
        #expect(message.legal == BotLegalActions(canCheck: false, callAmount: 20, canRaise: true, minRaiseTo: 40, maxRaiseTo: 180))
        #expect(message.totalPot == 50)
        #expect(message.myBet == 0)
    }

    @Test("Scan: another seat's view has no legal actions; a waiting table is not playing; events and errors")
    func scanOthers() {
        let other = Self.seat2ToAct.replacingOccurrences(of: #""your_seat":2"#, with: #""your_seat":0"#)
            .replacingOccurrences(of: #""legal_actions":{"can_fold":true,"can_check":false,"call_amount":20,"can_raise":true,"min_raise_to":40,"max_raise_to":180,"all_in_to":180}"#,
                                  with: #""legal_actions":null"#)
        let seen = BotMessage.scan(other)
        #expect(seen.yourSeat == 0 && seen.seatToAct == 2 && seen.legal == nil && seen.handNumber == 12)
        let waiting = BotMessage.scan(#"{"type":"game_view","seq":1,"table_id":"t","hand_number":0,"status":"waiting","street":null,"seat_to_act":null,"your_seat":null,"players":[],"legal_actions":null}"#)
        #expect(!waiting.playing && waiting.street == nil && waiting.yourSeat == nil && waiting.seatToAct == nil)
        let left = BotMessage.scan(#"{"type":"event","event":"player_left","seat":4,"user_id":9}"#)
        #expect(left == BotMessage(kind: .event, name: "player_left", seat: 4))
        #expect(BotMessage.scan(#"{"type":"error","code":"not_your_turn","message":"x"}"#) == BotMessage(kind: .error, name: "not_your_turn"))
        #expect(BotMessage.scan(#"{"type":"pong"}"#).kind == .other)
    }

    @Test("Scan: the own bet is read from the own seat's player object, not another seat's")
    func scanOwnBet() {
        let view = Self.seat2ToAct.replacingOccurrences(of: #""seat_to_act":2"#, with: #""seat_to_act":0"#)
            .replacingOccurrences(of: #""your_seat":2"#, with: #""your_seat":0"#)
        let message = BotMessage.scan(view)
        #expect(message.myBet == 20)
    }

    // MARK: Policy

    static func situation(_ street: BotStreet, canCheck: Bool = false, call: Int, myBet: Int = 0, minRaise: Int?,
                          maxRaise: Int? = 200, pot: Int = 3) -> BotSituation {
        BotSituation(street: street, legal: BotLegalActions(canCheck: canCheck, callAmount: call, canRaise: minRaise != nil,
                                                            minRaiseTo: minRaise, maxRaiseTo: minRaise == nil ? nil : maxRaise),
                     myBet: myBet, pot: pot, bigBlind: 2)
    }

    @Test("Policy: decision points follow the bet to match in big blinds, and min-raise arithmetic after the flop")
    func spots() {
        #expect(BotPolicy.spot(Self.situation(.preflop, call: 2, minRaise: 4)) == .preflopUnopened)
        #expect(BotPolicy.spot(Self.situation(.preflop, call: 1, myBet: 1, minRaise: 4)) == .preflopUnopened)
        #expect(BotPolicy.spot(Self.situation(.preflop, canCheck: true, call: 0, myBet: 2, minRaise: 4)) == .preflopOption)
        #expect(BotPolicy.spot(Self.situation(.preflop, call: 3, myBet: 2, minRaise: 8)) == .preflopFacingRaise)
        #expect(BotPolicy.spot(Self.situation(.preflop, call: 15, minRaise: 25)) == .preflopFacing3Bet)
        #expect(BotPolicy.spot(Self.situation(.preflop, call: 28, myBet: 5, minRaise: 48)) == .preflopFacing4Bet)
        #expect(BotPolicy.spot(Self.situation(.flop, canCheck: true, call: 0, minRaise: 2)) == .postflopUnbet)
        #expect(BotPolicy.spot(Self.situation(.turn, call: 10, minRaise: 20)) == .postflopFacingBet)
        // Bet 10, raised to 30: the minimum re-raise is to 50 (< 2 × 30).
        #expect(BotPolicy.spot(Self.situation(.river, call: 20, myBet: 10, minRaise: 50)) == .postflopFacingRaise)
    }

    @Test("Policy: every decision point's weights sum to 100 and fold only where checking is not free")
    func weightsSum() {
        for spot in BotSpot.allCases {
            let w = BotPolicy.weights(spot)
            #expect(w.fold + w.passive + w.aggressive == 100, "\(spot)")
            if spot == .preflopOption || spot == .postflopUnbet { #expect(w.fold == 0, "\(spot)") }
        }
    }

    /// The share of each move kind over many draws.
    static func mix(_ situation: BotSituation, draws: Int = 20000) -> [String: Double] {
        var rng = BotRandom(seed: 42)
        var counts: [String: Int] = [:]
        for _ in 0..<draws { counts[BotPolicy.move(situation, using: &rng).kind, default: 0] += 1 }
        return counts.mapValues { Double($0) / Double(draws) }
    }

    @Test("Policy: unopened preflop folds about 72 %, opens about 22 % to 2.5 big blinds, limps the rest")
    func preflopUnopenedMix() {
        let situation = Self.situation(.preflop, call: 2, minRaise: 4)
        let mix = Self.mix(situation)
        #expect(abs((mix["fold"] ?? 0) - 0.72) < 0.02)
        #expect(abs((mix["raise"] ?? 0) - 0.22) < 0.02)
        #expect(abs((mix["call"] ?? 0) - 0.06) < 0.02)
        var rng = BotRandom(seed: 1)
        for _ in 0..<200 {
            let move = BotPolicy.move(situation, using: &rng)
            if move.kind == "raise" { #expect(move.amount == 5) }
        }
    }

    @Test("Policy: never folds when checking is free; bets 50–75 % of the pot when opening a street")
    func postflopUnbetMix() {
        let situation = Self.situation(.flop, canCheck: true, call: 0, minRaise: 2, pot: 40)
        let mix = Self.mix(situation)
        #expect(mix["fold"] == nil)
        #expect(abs((mix["check"] ?? 0) - 0.62) < 0.02)
        #expect(abs((mix["bet"] ?? 0) - 0.38) < 0.02)
        var rng = BotRandom(seed: 2)
        for _ in 0..<500 {
            let move = BotPolicy.move(situation, using: &rng)
            if move.kind == "bet" { #expect((20...30).contains(move.amount ?? 0), "\(move)") }
            #expect(move.kind != "raise")
        }
    }

    @Test("Policy: raises stay inside the legal range; no raise when raising is not allowed")
    func amountsClamped() {
        var rng = BotRandom(seed: 3)
        let short = Self.situation(.preflop, call: 28, myBet: 5, minRaise: 48, maxRaise: 60)
        for _ in 0..<500 {
            let move = BotPolicy.move(short, using: &rng)
            if move.kind == "raise" { #expect(move.amount == 60) }  // facing a 4-bet the raise is all in
        }
        let noRaise = Self.situation(.turn, call: 10, minRaise: nil)
        for _ in 0..<500 {
            let kind = BotPolicy.move(noRaise, using: &rng).kind
            #expect(kind == "fold" || kind == "call")
        }
    }

    // MARK: Think time

    @Test("Think time: uniform between half and one and a half times the mean; zero means at once")
    func thinkTime() {
        var rng = BotRandom(seed: 9)
        let think = BotThinkTime(milliseconds: 200)
        var sum: UInt64 = 0
        for _ in 0..<10000 {
            let t = think.sample(using: &rng)
            #expect(t >= 100_000_000 && t <= 300_000_000)
            sum += t
        }
        let mean = Double(sum) / 10000 / 1e6
        #expect(abs(mean - 200) < 5, "mean \(mean) ms")
        #expect(BotThinkTime(milliseconds: 0).sample(using: &rng) == 0)
    }

    @Test("Load report: offered moves/s are tables over the think time; a run without think time is unbounded")
    func loadReport() {
        var counters = BotCounters()
        counters.actions = 8000
        counters.hands = 1000
        let load = BotLoad(tables: 1000, think: BotThinkTime(milliseconds: 200), seconds: 2, counters: counters)
        #expect(load.offeredMoves == 5000)
        #expect(load.achievedMoves == 4000)
        #expect(load.movesPerHand == 8)
        #expect(load.summary.contains("80 % of offered"))
        #expect(BotLoad(tables: 10, think: BotThinkTime(milliseconds: 0), seconds: 1, counters: counters).offeredMoves == nil)
    }

    @Test("Counters: adding an interval sums counts, samples and errors but keeps the connection count")
    func countersAdd() {
        var total = BotCounters(connected: 6)
        total.actions = 10
        total.latenciesMicros = [100]
        total.error("not_your_turn")
        var interval = BotCounters(actions: 5, views: 7, hands: 2, latenciesMicros: [200, 300], connected: 4,
                                   rejoins: 1, rejoined: 1, thinkNanos: 9, thinks: 3)
        interval.error("not_your_turn")
        interval.error("ws_closed_by_server")
        total.add(interval)
        #expect(total.actions == 15 && total.views == 7 && total.hands == 2)
        #expect(total.rejoins == 1 && total.rejoined == 1 && total.thinkNanos == 9 && total.thinks == 3)
        #expect(total.latenciesMicros == [100, 200, 300])
        #expect(total.errors == ["not_your_turn": 2, "ws_closed_by_server": 1])
        #expect(total.connected == 6)
    }
}

/// The bots' in-place reader of server frames.
@Suite("felt bots: frame reader")
struct BotsFrameReaderTests {
    /// An unmasked server frame.
    static func frame(_ opcode: UInt8, _ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | opcode]
        if payload.count < 126 {
            out.append(UInt8(payload.count))
        } else if payload.count <= 0xFFFF {
            out += [126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            out.append(127)
            for i in (0..<8).reversed() { out.append(UInt8((payload.count >> (8 * i)) & 0xFF)) }
        }
        return out + payload
    }

    /// Feeds `chunks` and returns what was delivered, as readable strings.
    static func read(_ chunks: [[UInt8]], reader: inout BotFrameReader) -> [String] {
        var seen: [String] = []
        for chunk in chunks {
            chunk.withUnsafeBytes { bytes in
                reader.read(bytes) { frame in
                    switch frame {
                    case .text(let text): seen.append("text:" + String(decoding: text, as: UTF8.self))
                    case .ping(let payload): seen.append("ping:" + String(decoding: payload, as: UTF8.self))
                    case .close: seen.append("close")
                    case .protocolError(let reason): seen.append("error:" + reason)
                    }
                    return true
                }
            }
        }
        return seen
    }

    @Test("Two text frames in one read, then one split over three reads (16-bit length)")
    func splitAndBatched() {
        var reader = BotFrameReader()
        let long = String(repeating: "x", count: 300)
        let both = Self.frame(1, Array("a".utf8)) + Self.frame(1, Array(#"{"type":"game_view"}"#.utf8))
        let big = Self.frame(1, Array(long.utf8))
        let seen = Self.read([both, Array(big[0..<3]), Array(big[3..<100]), Array(big[100...])], reader: &reader)
        #expect(seen == ["text:a", #"text:{"type":"game_view"}"#, "text:" + long])
    }

    @Test("A fragmented message is joined; a ping in between is delivered; pongs and binary are skipped")
    func fragmentsAndControl() {
        var reader = BotFrameReader()
        let bytes = Self.frame(1, Array("hel".utf8), fin: false) + Self.frame(9, Array("p".utf8))
            + Self.frame(0, Array("lo".utf8)) + Self.frame(10, []) + Self.frame(2, [1, 2]) + Self.frame(1, Array("!".utf8))
        #expect(Self.read([bytes], reader: &reader) == ["ping:p", "text:hello", "text:!"])
    }

    @Test("A close frame ends the stream; a masked frame or reserved bits are protocol errors")
    func closeAndErrors() {
        var reader = BotFrameReader()
        #expect(Self.read([Self.frame(8, [3, 232]) + Self.frame(1, Array("late".utf8))], reader: &reader) == ["close"])
        var masked = BotFrameReader()
        #expect(Self.read([[0x81, 0x81, 1, 2, 3, 4, 5]], reader: &masked) == ["error:masked frame from the server"])
        #expect(Self.read([Self.frame(1, Array("x".utf8))], reader: &masked).isEmpty)
        var reserved = BotFrameReader()
        #expect(Self.read([[0xC1, 0x00]], reader: &reserved) == ["error:reserved bits set"])
        var tooBig = BotFrameReader(maxMessageSize: 10)
        #expect(Self.read([Self.frame(1, Array(repeating: 65, count: 11))], reader: &tooBig) == ["error:message too big"])
    }
}
