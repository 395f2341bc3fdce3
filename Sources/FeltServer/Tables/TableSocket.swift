import FeltNet
import FeltTables
import Foundation
import PokerEngine
import Synchronization

/// Delivers a table's messages to one WebSocket connection, numbering game views with the
/// connection's own increasing `seq`. What one table change sends the connection (its events
/// and its view) becomes one buffer of complete text frames, written with one allocation
/// and one hop to the connection's loop.
final class SocketSink: TableViewerSink, Sendable {
    /// Where the frames go (the connection's `send`, or a benchmark's counter).
    let send: @Sendable (WebSocketEncodedFrame) -> Void
    private let seq = Atomic<UInt64>(0)

    init(connection: WebSocketConnection) { send = { connection.send($0) } }

    init(send: @escaping @Sendable (WebSocketEncodedFrame) -> Void) { self.send = send }

    func deliver(_ message: SharedMessage) {
        let next = message.kind == .gameView ? seq.add(1, ordering: .relaxed).newValue : 0
        send(TableFrames.encode(message, seq: next))
    }

    func deliver(_ messages: [SharedMessage], then last: SharedMessage?) {
        guard !messages.isEmpty || last != nil else { return }
        var views = last == nil ? 0 : 1
        for m in messages where m.kind == .gameView { views += 1 }
        // The table delivers from one executor at a time, so the block of seqs is this call's.
        var next = views == 0 ? 0 : seq.add(UInt64(views), ordering: .relaxed).newValue - UInt64(views) + 1
        send(TableFrames.encode(messages, then: last, firstSeq: &next))
    }

    /// Sends a `{"type":"error",...}` message.
    func error(code: String, message: String) {
        deliver(TableMessages.error(code: code, message: message))
    }
}

/// WebSocket text frames of table messages, header and payload written into one exactly
/// sized buffer (RFC 6455 §5.2, server frames: unmasked, FIN set, opcode 1).
public enum TableFrames {
    /// Header length for a payload of `length` bytes.
    @inline(__always)
    static func headerCount(_ length: Int) -> Int { length <= 125 ? 2 : (length <= 0xFFFF ? 4 : 10) }

    /// Writes a text frame header at `p`; returns its length.
    @inline(__always)
    static func writeHeader(_ length: Int, to p: UnsafeMutablePointer<UInt8>) -> Int {
        p[0] = 0x81
        if length <= 125 {
            p[1] = UInt8(length)
            return 2
        }
        if length <= 0xFFFF {
            p[1] = 126
            p[2] = UInt8(truncatingIfNeeded: length >> 8)
            p[3] = UInt8(truncatingIfNeeded: length)
            return 4
        }
        p[1] = 127
        let wide = UInt64(length)
        for i in 0..<8 { p[2 + i] = UInt8(truncatingIfNeeded: wide >> UInt64(56 - 8 * i)) }
        return 10
    }

    /// One message as one text frame (game views numbered `seq`).
    public static func encode(_ message: SharedMessage, seq: UInt64) -> WebSocketEncodedFrame {
        var next = seq
        return encode([], then: message, firstSeq: &next)
    }

    /// `messages` then `last`, each its own text frame, back to back in one buffer; game views
    /// are numbered from `firstSeq` on (advanced past the ones used).
    public static func encode(_ messages: [SharedMessage], then last: SharedMessage?,
                              firstSeq: inout UInt64) -> WebSocketEncodedFrame {
        var total = 0
        var s = firstSeq
        for m in messages {
            let n = m.count(seq: s)
            total += headerCount(n) + n
            if m.kind == .gameView { s += 1 }
        }
        if let last {
            let n = last.count(seq: s)
            total += headerCount(n) + n
        }
        var seq = firstSeq
        let bytes = [UInt8](unsafeUninitializedCapacity: total) { buffer, initialized in
            guard let base = buffer.baseAddress else { initialized = 0; return }
            var p = base
            @inline(__always) func frame(_ m: SharedMessage) {
                let n = m.count(seq: seq)
                p += writeHeader(n, to: p)
                p += m.copyBytes(seq: seq, to: p)
                if m.kind == .gameView { seq += 1 }
            }
            for m in messages { frame(m) }
            if let last { frame(last) }
            initialized = p - base
        }
        firstSeq = seq
        return WebSocketEncodedFrame(bytes: bytes)
    }
}

/// Benchmarks (`felt bench tables`): the server's table sink with its framing, writing to `send`.
public enum TableSocketBenchmark {
    /// A viewer sink that frames messages exactly as a table WebSocket does and hands each
    /// frame to `send` instead of a connection.
    public static func sink(send: @escaping @Sendable (WebSocketEncodedFrame) -> Void) -> any TableViewerSink {
        SocketSink(send: send)
    }
}

/// A token bucket: `count` messages per `periodSeconds`, bursts up to `count`. A value
/// type fed the time, so it is tested without I/O.
struct MessageBudget: Sendable {
    let capacity: Double
    let refillPerSecond: Double
    private(set) var tokens: Double
    private var last: Double?

    init(count: Int, periodSeconds: Double) {
        capacity = Double(max(1, count))
        refillPerSecond = capacity / max(0.001, periodSeconds)
        tokens = capacity
    }

    /// Takes one message at `now` (seconds on any monotonic clock); false when over the rate.
    mutating func admit(now: Double) -> Bool {
        if let last { tokens = min(capacity, tokens + max(0, now - last) * refillPerSecond) }
        last = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }
}

/// Per-connection state: the sink and the inbound message budget.
final class SocketSession: Sendable {
    let viewer: ViewerID
    let sink: SocketSink
    private let budget: Mutex<MessageBudget>
    private static let origin = ContinuousClock.now

    init(viewer: ViewerID, sink: SocketSink, rate: (count: Int, periodSeconds: Double)) {
        self.viewer = viewer
        self.sink = sink
        budget = Mutex(MessageBudget(count: rate.count, periodSeconds: rate.periodSeconds))
    }

    /// Takes one message from the budget; false when the connection is over its rate.
    func admit() -> Bool {
        let elapsed = Self.origin.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return budget.withLock { $0.admit(now: seconds) }
    }
}

/// Client messages of `/ws/table/{id}`.
struct ClientMessage: Decodable, Equatable {
    let type: String
    let action: ActionBody?

    struct ActionBody: Decodable, Equatable {
        let type: String
        let amount: Int?
    }

    init(type: String, action: ActionBody?) {
        self.type = type
        self.action = action
    }

    /// Decodes a message: the common plain shapes with a byte scan (`ClientMessageScanner`),
    /// anything else (escapes, fractions, nested values, duplicates, errors) with
    /// `JSONDecoder`, so both paths accept and refuse exactly the same texts.
    static func decode(_ text: String) -> ClientMessage? {
        var text = text
        if let fast = text.withUTF8({ bytes -> ClientMessage? in
            var scanner = ClientMessageScanner(bytes: bytes)
            return scanner.message()
        }) { return fast }
        return try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8))
    }
}

/// A strict scanner for the plain client messages (`{"type":"action","action":{"type":"call",
/// "amount":40}}` in any key order and spacing): objects whose values are strings without
/// escapes, integers, `null`, `true`/`false`, and the `action` object. Returns `nil` for
/// anything else; the caller then uses `JSONDecoder`.
struct ClientMessageScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    var i = 0

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    enum Scalar: Equatable {
        case text(String)
        case int(Int)
        case null
        case bool
    }

    mutating func message() -> ClientMessage? {
        var type: String?
        var action: ClientMessage.ActionBody?
        var sawAction = false
        let ok = object { key, scanner in
            switch key {
            case "type":
                guard type == nil, case .text(let t)? = scanner.scalar() else { return false }
                type = t
            case "action":
                guard !sawAction else { return false }
                sawAction = true
                scanner.skipSpace()
                if scanner.literal("null") { return true }
                guard let body = scanner.actionBody() else { return false }
                action = body
            default:
                return scanner.scalar() != nil
            }
            return true
        }
        skipSpace()
        guard ok, i == bytes.count, let type else { return nil }
        return ClientMessage(type: type, action: action)
    }

    mutating func actionBody() -> ClientMessage.ActionBody? {
        var type: String?
        var amount: Int?
        var sawAmount = false
        let ok = object { key, scanner in
            switch key {
            case "type":
                guard type == nil, case .text(let t)? = scanner.scalar() else { return false }
                type = t
            case "amount":
                guard !sawAmount else { return false }
                sawAmount = true
                switch scanner.scalar() {
                case .int(let n)?: amount = n
                case .null?: amount = nil
                default: return false
                }
            default:
                return scanner.scalar() != nil
            }
            return true
        }
        guard ok, let type else { return nil }
        return ClientMessage.ActionBody(type: type, amount: amount)
    }

    /// `{ "key": value, ... }`; `member` reads the value after the colon (false = give up).
    /// Keys must be distinct for the fields read (the members check that themselves).
    mutating func object(_ member: (String, inout ClientMessageScanner) -> Bool) -> Bool {
        skipSpace()
        guard byte(UInt8(ascii: "{")) else { return false }
        skipSpace()
        if byte(UInt8(ascii: "}")) { return true }
        var keys: [String] = []
        while true {
            skipSpace()
            guard let key = plainString() else { return false }
            guard !keys.contains(key) else { return false }
            keys.append(key)
            skipSpace()
            guard byte(UInt8(ascii: ":")) else { return false }
            skipSpace()
            guard member(key, &self) else { return false }
            skipSpace()
            if byte(UInt8(ascii: ",")) { continue }
            return byte(UInt8(ascii: "}"))
        }
    }

    /// A string, integer, `null`, `true` or `false` (nil for anything else).
    mutating func scalar() -> Scalar? {
        skipSpace()
        guard i < bytes.count else { return nil }
        switch bytes[i] {
        case UInt8(ascii: "\""): return plainString().map { .text($0) }
        case UInt8(ascii: "n"): return literal("null") ? .null : nil
        case UInt8(ascii: "t"): return literal("true") ? .bool : nil
        case UInt8(ascii: "f"): return literal("false") ? .bool : nil
        default: return integer().map { .int($0) }
        }
    }

    /// A quoted string without escapes or control characters.
    mutating func plainString() -> String? {
        guard byte(UInt8(ascii: "\"")) else { return nil }
        let start = i
        while i < bytes.count {
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == UInt8(ascii: "\\") || c < 0x20 { return nil }
            i += 1
        }
        return nil
    }

    /// An integer in JSON syntax that fits `Int`, not followed by a fraction or exponent.
    mutating func integer() -> Int? {
        var negative = false
        if i < bytes.count, bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let start = i
        var value = 0
        while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
            let d = Int(bytes[i] - UInt8(ascii: "0"))
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = negative ? m.subtractingReportingOverflow(d) : m.addingReportingOverflow(d)
            guard !o1, !o2 else { return nil }
            value = a
            i += 1
        }
        let digits = i - start
        guard digits > 0, !(digits > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") || bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E") {
            return nil
        }
        return value
    }

    mutating func literal(_ word: StaticString) -> Bool {
        let n = word.utf8CodeUnitCount
        guard i + n <= bytes.count else { return false }
        for k in 0..<n where bytes[i + k] != word.utf8Start[k] { return false }
        i += n
        return true
    }

    mutating func byte(_ b: UInt8) -> Bool {
        guard i < bytes.count, bytes[i] == b else { return false }
        i += 1
        return true
    }

    mutating func skipSpace() {
        while i < bytes.count {
            let c = bytes[i]
            guard c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D else { return }
            i += 1
        }
    }
}

/// The table WebSocket: authenticated at the upgrade; seated players get their seat's view
/// at once, others after `spectate`; closing is leaving (unless reconnect grace).
enum TableSocket {
    static func handler(table: LiveTable, tenant: TenantTables, user: Int64) -> WebSocketHandler {
        let sessions = Mutex<[UInt64: SocketSession]>([:])
        let actor = table.actor
        let tableID = table.settings.tableID
        return WebSocketHandler(
            onOpen: { connection in
                let session = SocketSession(viewer: tenant.newViewer(), sink: SocketSink(connection: connection),
                                            rate: tenant.messageRate)
                sessions.withLock { $0[connection.id] = session }
                await actor.connect(viewer: session.viewer, user: UserID(user), sink: session.sink)
            },
            onText: { connection, text in
                guard let session = sessions.withLock({ $0[connection.id] }) else { return }
                guard session.admit() else {
                    session.sink.error(code: "rate_limited", message: "Too many messages; slow down")
                    return
                }
                await handle(text, session: session, actor: actor, tableID: tableID, user: user)
            },
            onBinary: { connection, _ in
                sessions.withLock { $0[connection.id] }?.sink.error(code: "bad_message", message: "Messages must be JSON text")
            },
            onClose: { connection, _ in
                guard let session = sessions.withLock({ $0.removeValue(forKey: connection.id) }) else { return }
                await actor.disconnect(viewer: session.viewer)
            })
    }

    static func handle(_ text: String, session: SocketSession, actor: TableActor, tableID: String, user: Int64) async {
        let sink = session.sink
        guard let message = ClientMessage.decode(text) else {
            sink.error(code: "bad_message", message: "Messages are JSON objects with a \"type\"")
            return
        }
        let result: Result<Void, TableError>
        switch message.type {
        case "action":
            guard let body = message.action else {
                sink.error(code: "bad_message", message: "An action message needs an \"action\" object")
                return
            }
            let action: PlayerAction
            do { action = try PlayerAction(wireType: body.type, amount: body.amount) } catch {
                sink.deliver(TableMessages.error(error))
                return
            }
            result = await actor.act(user: UserID(user), action: action)
        case "spectate":
            result = await actor.spectate(viewer: session.viewer)
        case "stop_spectating":
            result = await actor.stopSpectating(viewer: session.viewer)
        case "leave":
            switch await actor.leave(user: UserID(user)) {
            case .success(let left):
                sink.send(WebSocketFrameEncoder.text("{\"type\":\"event\",\"event\":\"left\",\"table_id\":\(jsonString(tableID)),"
                                     + "\"seat\":\(left.seat),\"returned\":\(left.returned),\"paid_at_hand_end\":\(left.paidAtHandEnd)}"))
                return
            case .failure(let error):
                result = .failure(error)
            }
        case "join":
            sink.error(code: "join_via_http", message: "Joining over WebSocket is disabled; use POST /api/tables/\(tableID)/join")
            return
        default:
            sink.error(code: "bad_message", message: "Unknown message type \"\(message.type.prefix(32))\"")
            return
        }
        if case .failure(let error) = result { sink.deliver(TableMessages.error(error)) }
    }

    static func jsonString(_ text: String) -> String {
        guard let data = try? JSONEncoder().encode(text) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}
