import CLinuxSys
import FeltNet
import Foundation
import Glibc

/// Counters of one loop's bots; the reporter reads and resets them under the lock.
struct BotCounters {
    var actions = 0
    var views = 0
    var hands = 0
    var latenciesMicros: [UInt32] = []
    var errors: [String: Int] = [:]
    var connected = 0
    var rejoins = 0
    /// Bots connected again after an unseat.
    var rejoined = 0
    /// Sum and count of the think times actually taken (turn seen → move sent), in nanoseconds.
    var thinkNanos: UInt64 = 0
    var thinks = 0

    mutating func error(_ code: String) { errors[code, default: 0] += 1 }

    /// Adds `other`'s counts, samples and errors (the connection count stays as it is).
    mutating func add(_ other: BotCounters) {
        actions += other.actions
        views += other.views
        hands += other.hands
        rejoins += other.rejoins
        rejoined += other.rejoined
        thinkNanos &+= other.thinkNanos
        thinks += other.thinks
        latenciesMicros.append(contentsOf: other.latenciesMicros)
        for (code, n) in other.errors { errors[code, default: 0] += n }
    }
}

/// What the bots of one loop share: the receive buffer, the counters, the tables, the pace.
final class BotLoopContext: @unchecked Sendable {
    // @unchecked Sendable: `buffer`, `tables`, `bots` and `playing` are only used on `loop`'s
    // thread; `counters` is a lock-protected box read by the reporter.
    let loop: EventLoop
    var buffer = [UInt8](repeating: 0, count: 65536)
    let counters = Locked(BotCounters())
    /// Highest hand number seen per table index (0: none yet).
    var tables: [Int]
    /// The bots of each table (all of a table's bots live on one loop).
    var bots: [[BotConnection]]
    /// The table's big blind, by table index.
    let bigBlinds: [Int]
    /// The think time between seeing a turn and acting.
    let think: BotThinkTime
    /// False during setup: a bot whose turn comes waits `holdNanos` before acting, so tables
    /// hardly play while the others join (and nobody reaches the server's turn timeout).
    var playing = false
    /// The wait before a move during setup.
    let holdNanos: UInt64
    /// Set for the teardown: nobody moves any more.
    var stopped = false

    init(loop: EventLoop, tableCount: Int, bigBlinds: [Int], think: BotThinkTime, holdNanos: UInt64 = 10_000_000_000) {
        self.loop = loop
        tables = [Int](repeating: 0, count: tableCount)
        bots = [[BotConnection]](repeating: [], count: tableCount)
        self.bigBlinds = bigBlinds
        self.think = think
        self.holdNanos = holdNanos
    }

    /// Counts hands as table hand numbers advance (the first number seen is the base).
    func sawHand(_ number: Int, table: Int) {
        let known = tables[table]
        guard number > known else { return }
        tables[table] = number
        if known > 0 { counters.withLock { $0.hands += number - known } }
    }

    /// Starts the teardown: no bot moves any more (on the loop).
    func stopPlaying() {
        precondition(loop.inEventLoop)
        stopped = true
    }

    /// Ends the setup hold: every bot whose turn it is starts thinking now (on the loop).
    func startPlaying() {
        precondition(loop.inEventLoop)
        playing = true
        let now = MonotonicClock.nanoseconds()
        for table in bots { for bot in table { bot.restartThinking(now: now) } }
    }
}

/// Where a bot connects.
struct BotEndpoint: Sendable {
    var address: String
    var port: UInt16
    var host: String
}

/// One bot's WebSocket to `/ws/table/{id}` on a FeltNet event loop, with the client-role
/// codec: reads game views, answers its turns with random legal moves and measures the
/// time from sending a move to the first view that reflects it.
final class BotConnection: @unchecked Sendable {
    // @unchecked Sendable: handed to its loop once (`connect` runs in `loop.execute`);
    // afterwards every field is only touched on that loop's thread.
    enum Phase { case idle, connecting, handshaking, open, closed }

    let index: Int
    let tableIndex: Int
    let tableID: String
    let endpoint: BotEndpoint
    let context: BotLoopContext
    /// Called on the loop when the server unseated the bot (busted or removed).
    let onUnseated: @Sendable (Int) -> Void
    var token = ""
    /// Print every message this bot sends and receives (standard error).
    var trace = false
    private(set) var phase: Phase = .idle
    private var fd: Int32 = -1
    private var watch: FileDescriptorWatch?
    private var key = ""
    private var head: [UInt8] = []
    private var reader = BotFrameReader()
    private var outbound: [UInt8] = []
    private var rng: BotRandom
    private var pendingSentAt: UInt64 = 0
    private var pendingHand = 0
    private var pendingStreet: BotStreet?
    fileprivate var mySeat: Int?
    private var lastMoveAt: UInt64 = 0
    /// Bumped whenever a move timer is armed; a timer whose number is stale does nothing.
    private var timerGeneration: UInt64 = 0
    private var turn: Turn?

    /// The latest view's offer to this bot, while it is its turn and it has not moved yet.
    private struct Turn {
        var situation: BotSituation
        var hand: Int
        var street: BotStreet
        /// When the bot saw the turn (or setup ended) and when it means to act.
        var seenAt: UInt64
        var dueAt: UInt64
    }
    fileprivate var seenSeat = false
    /// Set from an unseat until the next connection opens.
    private var rejoining = false

    init(index: Int, tableIndex: Int, tableID: String, endpoint: BotEndpoint, context: BotLoopContext,
         onUnseated: @escaping @Sendable (Int) -> Void) {
        self.index = index
        self.tableIndex = tableIndex
        self.tableID = tableID
        self.endpoint = endpoint
        self.context = context
        self.onUnseated = onUnseated
        rng = BotRandom(seed: UInt64(index) &* 0x9E37_79B9 &+ MonotonicClock.nanoseconds())
    }

    var loop: EventLoop { context.loop }

    /// Opens the socket and starts the handshake (on the loop).
    func connect() {
        precondition(loop.inEventLoop)
        reader = BotFrameReader()
        head.removeAll()
        outbound.removeAll()
        pendingSentAt = 0
        seenSeat = false
        mySeat = nil
        turn = nil
        timerGeneration &+= 1
        lastMoveAt = 0
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard s >= 0 else { return fail("socket") }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = BotSocket.bind(s, to: BotSocket.loopbackSource(index))
        guard BotSocket.connect(s, address: endpoint.address, port: endpoint.port, blocking: false) else {
            close(s)
            return fail("connect")
        }
        fd = s
        phase = .connecting
        do {
            // A strong capture: the bot lives for the whole run, and `closeSocket` drops the watch.
            watch = try loop.watch(fd: s, readable: false, writable: true) { events in self.handle(events) }
        } catch {
            close(s)
            fd = -1
            return fail("watch")
        }
    }

    /// Closes the connection (a clean close frame if open).
    func disconnect() {
        precondition(loop.inEventLoop)
        if phase == .open { write(WebSocketFrameEncoder.close(code: .normalClosure, maskingKey: .random()).bytes) }
        closeSocket()
    }

    private func fail(_ what: String) {
        context.counters.withLock { $0.error("ws_\(what)") }
        closeSocket()
    }

    private func handle(_ events: FileDescriptorEvents) {
        switch phase {
        case .connecting:
            var error: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length)
            guard error == 0, !events.failed || events.writable else { return fail("connect") }
            key = WebSocketHandshake.makeClientKey()
            let path = "/ws/table/\(tableID)?token=\(token)"
            phase = .handshaking
            watch?.update(readable: true, writable: false)
            write(Array(WebSocketHandshake.clientRequest(host: endpoint.host, path: path, key: key).utf8))
        case .handshaking, .open:
            if events.writable { flush() }
            if events.readable || events.failed { readAvailable() }
        case .idle, .closed:
            return
        }
    }

    private func readAvailable() {
        while fd >= 0 {
            let got = context.buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if got == 0 { return closedByPeer() }
            if got < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR { return }
                return closedByPeer()
            }
            if phase == .handshaking {
                head.append(contentsOf: context.buffer[0..<got])
                guard let end = BotSocket.headerEnd(head) else { continue }
                guard acceptHandshake(head[0..<end]) else {
                    return fail("handshake_\(String(decoding: head.prefix(12).dropFirst(9), as: UTF8.self))")
                }
                phase = .open
                let again = rejoining
                rejoining = false
                context.counters.withLock {
                    $0.connected += 1
                    if again { $0.rejoined += 1 }
                }
                let rest = Array(head[(end + 4)...])
                head.removeAll()
                if !rest.isEmpty { rest.withUnsafeBytes { consume($0) } }
            } else {
                let count = got
                context.buffer.withUnsafeBytes { consume(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
                // A short read drained the socket: skip the recv that would only say EAGAIN
                // (epoll is level-triggered and reports the socket again when more arrives).
                if count < context.buffer.count { return }
            }
        }
    }

    private func acceptHandshake(_ bytes: ArraySlice<UInt8>) -> Bool {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = lines.first?.split(separator: " ") ?? []
        guard parts.count >= 2, let status = Int(parts[1]) else { return false }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.append((String(line[..<colon]), String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)))
        }
        return WebSocketHandshake.isValidServerResponse(status: status, headers: headers, key: key)
    }

    /// Reads frames in place; a text message is scanned without a copy.
    private func consume(_ bytes: UnsafeRawBufferPointer) {
        reader.read(bytes) { frame in
            switch frame {
            case .text(let text):
                received(text)
            case .ping(let payload):
                write(WebSocketFrameEncoder.pong(payload, maskingKey: .random()).bytes)
            case .close:
                write(WebSocketFrameEncoder.close(code: .normalClosure, maskingKey: .random()).bytes)
                closedByPeer()
            case .protocolError:
                fail("protocol")
            }
            return phase != .closed
        }
    }

    private func received(_ text: UnsafeBufferPointer<UInt8>) {
        if trace { printError("bot \(index) ← \(String(decoding: text, as: UTF8.self))") }
        let message = BotMessage.scan(text)
        switch message.kind {
        case .gameView:
            context.counters.withLock { $0.views += 1 }
            if let hand = message.handNumber { context.sawHand(hand, table: tableIndex) }
            guard let seat = message.yourSeat else {
                if seenSeat { unseated() }
                return
            }
            seenSeat = true
            mySeat = seat
            let now = MonotonicClock.nanoseconds()
            let hand = message.handNumber ?? 0
            // A view reflects the move once the turn moved on, the street changed (the same seat
            // may open the next street) or a new hand began.
            if pendingSentAt != 0 {
                if message.seatToAct != seat || hand != pendingHand || message.street != pendingStreet {
                    let micros = UInt32(min(UInt64(UInt32.max), (now &- pendingSentAt) / 1000))
                    pendingSentAt = 0
                    context.counters.withLock { $0.latenciesMicros.append(micros) }
                } else if now &- pendingSentAt > 3_000_000_000 {
                    pendingSentAt = 0  // no view reflected the move: count it and move again
                    context.counters.withLock { $0.error("no_view_after_move") }
                } else {
                    return  // the move is in flight: this view is older than it
                }
            }
            guard message.playing, message.seatToAct == seat, let legal = message.legal, let street = message.street else {
                turn = nil
                return
            }
            let situation = BotSituation(street: street, legal: legal, myBet: message.myBet, pot: message.totalPot,
                                         bigBlind: context.bigBlinds[tableIndex])
            if var current = turn, current.hand == hand, current.street == street {
                current.situation = situation  // the same turn (e.g. a heartbeat): keep thinking
                turn = current
                return
            }
            startTurn(Turn(situation: situation, hand: hand, street: street, seenAt: now, dueAt: now), now: now)
        case .event:
            // A removed player (busted, timed out) hears nothing more from the table, so the
            // table's other bots pass the news on.
            if message.name == "player_left", let seat = message.seat {
                for bot in context.bots[tableIndex] where bot.seenSeat && bot.mySeat == seat { bot.unseated() }
            }
        case .error:
            pendingSentAt = 0
            context.counters.withLock { $0.error(message.name ?? "error") }
        case .other:
            break
        }
    }

    /// Plans the move of a new turn: after the think time (during setup: after the hold), and
    /// at least `minimumGap` after the bot's previous move (the server's message rate limit is
    /// 10/s per connection).
    private func startTurn(_ new: Turn, now: UInt64) {
        var planned = new
        let wait = context.playing ? context.think.sample(using: &rng) : context.holdNanos
        planned.dueAt = max(now &+ wait, lastMoveAt == 0 ? 0 : lastMoveAt &+ Self.minimumGap)
        turn = planned
        timerGeneration &+= 1
        if context.stopped { return }
        if planned.dueAt <= now { return move(now: now) }
        let generation = timerGeneration
        loop.schedule(after: .nanoseconds(Int64(planned.dueAt &- now))) {
            guard self.timerGeneration == generation else { return }
            self.move(now: MonotonicClock.nanoseconds())
        }
    }

    /// Setup ended: a pending turn gets a fresh think time from now.
    func restartThinking(now: UInt64) {
        guard var current = turn else { return }
        current.seenAt = now
        startTurn(current, now: now)
    }

    /// Sends the policy's move for the current turn.
    private func move(now: UInt64) {
        guard pendingSentAt == 0, phase == .open, !context.stopped, let current = turn else { return }
        let move = BotPolicy.move(current.situation, using: &rng)
        turn = nil
        pendingSentAt = now
        lastMoveAt = now
        pendingHand = current.hand
        pendingStreet = current.street
        if trace { printError("bot \(index) → \(move.json)") }
        write(WebSocketFrameEncoder.text(move.json, maskingKey: .random()).bytes)
        let thought = now &- current.seenAt
        let measured = context.playing
        context.counters.withLock {
            $0.actions += 1
            if measured {
                $0.thinkNanos &+= thought
                $0.thinks += 1
            }
        }
    }

    /// Nanoseconds between two moves of one bot.
    static let minimumGap: UInt64 = 110_000_000

    /// The server no longer seats this bot (busted, or removed): close and ask for a rejoin.
    fileprivate func unseated() {
        seenSeat = false
        if phase == .open { write(WebSocketFrameEncoder.close(code: .normalClosure, maskingKey: .random()).bytes) }
        closeSocket()
        rejoining = true
        context.counters.withLock { $0.rejoins += 1 }
        onUnseated(index)
    }

    private func closedByPeer() {
        let wasOpen = phase == .open
        closeSocket()
        if wasOpen { context.counters.withLock { $0.error("ws_closed_by_server") } }
    }

    private func closeSocket() {
        if phase == .open { context.counters.withLock { $0.connected -= 1 } }
        phase = .closed
        watch?.cancel()
        watch = nil
        if fd >= 0 {
            close(fd)
            fd = -1
        }
    }

    private func write(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        if !outbound.isEmpty {
            outbound.append(contentsOf: bytes)
            return
        }
        let sent = bytes.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent == bytes.count { return }
        if sent < 0 && errno != EAGAIN && errno != EWOULDBLOCK { return closedByPeer() }
        outbound.append(contentsOf: bytes[max(0, sent)...])
        watch?.update(readable: true, writable: true)
    }

    private func flush() {
        guard fd >= 0, !outbound.isEmpty else { return }
        let sent = outbound.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if sent < 0 {
            if errno != EAGAIN && errno != EWOULDBLOCK { closedByPeer() }
            return
        }
        outbound.removeFirst(sent)
        if outbound.isEmpty { watch?.update(readable: true, writable: false) }
    }
}
