import FeltNet
import FeltTables
import Foundation
import PokerEngine
import Synchronization

/// Delivers a table's messages to one WebSocket connection, numbering game views with the
/// connection's own increasing `seq`.
final class SocketSink: TableViewerSink, Sendable {
    /// Where the frames go (the connection's `send`, or a benchmark's counter).
    let send: @Sendable (WebSocketEncodedFrame) -> Void
    private let seq = Atomic<UInt64>(0)

    init(connection: WebSocketConnection) { send = { connection.send($0) } }

    init(send: @escaping @Sendable (WebSocketEncodedFrame) -> Void) { self.send = send }

    func deliver(_ message: SharedMessage) {
        let next = message.kind == .gameView ? seq.add(1, ordering: .relaxed).newValue : 0
        send(WebSocketFrameEncoder.text(utf8: message.bytes(seq: next)))
    }

    /// Sends a `{"type":"error",...}` message.
    func error(code: String, message: String) {
        deliver(TableMessages.error(code: code, message: message))
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
struct ClientMessage: Decodable {
    let type: String
    let action: ActionBody?

    struct ActionBody: Decodable {
        let type: String
        let amount: Int?
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
        guard let message = try? JSONDecoder().decode(ClientMessage.self, from: Data(text.utf8)) else {
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
