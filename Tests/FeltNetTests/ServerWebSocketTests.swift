import Foundation
import Testing
@testable import FeltNet
import FeltTestSupport

/// Connections that joined the test "room" (for the broadcast scenario).
final class Room: Sendable {
    let members = Locked<Set<WebSocketConnection>>([])
}

/// The routes the Python WebSocket scenarios talk to.
func webSocketTestRouter(room: Room, server: Locked<HTTPServer?>) -> Router {
    var router = Router()
    router.webSocket("/ws/echo") { request, _ in
        let query = request.query
        return .accept(WebSocketHandler(
            onText: { connection, text in
                if text.hasPrefix("close:"), let code = UInt16(text.dropFirst(6)) {
                    connection.close(code: WebSocketCloseCode(code), reason: "asked")
                } else if text == "whoami" {
                    connection.send(text: "name=" + (query["name"] ?? ""))
                } else if text == "flood" {
                    let frame = WebSocketFrameEncoder.text(String(repeating: "f", count: 60_000))
                    for _ in 0..<400 { connection.send(frame) }
                } else if text == "shutdown" {
                    if let server = server.withLock({ $0 }) {
                        Task(executorPreference: connection.loop) { await server.shutdown(timeout: .seconds(3)) }
                    }
                } else {
                    connection.send(text: text)
                }
            },
            onBinary: { connection, bytes in connection.send(WebSocketFrameEncoder.binary(bytes)) }))
    }
    router.webSocket("/ws/private") { _, _ in
        .refuse(.error(status: 401, code: "unauthorized", message: "a valid token is required"))
    }
    router.webSocket("/ws/room") { _, _ in
        .accept(WebSocketHandler(
            onOpen: { connection in
                room.members.withLock { _ = $0.insert(connection) }
                connection.send(text: "joined")
            },
            onText: { _, text in
                guard text.hasPrefix("broadcast:") else { return }
                let members = room.members.withLock { $0 }
                WebSocketBroadcast.send(text: String(text.dropFirst(10)), to: members)
            },
            onClose: { connection, _ in room.members.withLock { _ = $0.remove(connection) } }))
    }
    return router
}

@Suite struct ServerWebSocketTests {
    static let scenarios = ["echo", "path_and_query", "server_close_code", "too_big", "invalid_utf8", "unmasked",
                            "interleaved_control", "unknown_host", "refused", "bad_version", "keepalive_ping",
                            "silent_peer", "broadcast", "slow_reader", "shutdown"]

    @Test(arguments: scenarios)
    func pythonWebSocketsClientScenario(_ scenario: String) async throws {
        let holder = Locked<HTTPServer?>(nil)
        let room = Room()
        let server = try TestServer.start(routers: ["club": webSocketTestRouter(room: room, server: holder)]) { config in
            config.webSocketPingInterval = .milliseconds(300)
            config.webSocketPongTimeout = .seconds(2)
        }
        holder.withLock { $0 = server.server }
        let result = try await runPython("net_ws_client.py", [String(server.port), scenario])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK \(scenario)"))
        await server.stop()
    }

    @Test func plainGetToAWebSocketRouteGets426() async throws {
        let server = try TestServer.start(routers: ["club": webSocketTestRouter(room: Room(), server: Locked(nil))])
        let responses = try await curl(["-H", "Host: club.test", server.base + "/ws/echo"])
        #expect(responses.first?.status == 426)
        #expect(responses.first?.headers["upgrade"] == "websocket")
        #expect(errorCode(responses.first?.body ?? "") == "upgrade_required")
        await server.stop()
    }

    @Test func closeCallbackReportsPeerCodeAfterMessagesInOrder() async throws {
        let events = Locked<[String]>([])
        var router = Router()
        router.webSocket("/ws/echo") { _, _ in
            .accept(WebSocketHandler(
                onOpen: { _ in events.withLock { $0.append("open") } },
                onText: { connection, text in
                    try? await connection.loop.sleep(for: .milliseconds(2))
                    events.withLock { $0.append(text) }
                    connection.send(text: text)
                },
                onBinary: { connection, bytes in connection.send(WebSocketFrameEncoder.binary(bytes)) },
                onClose: { _, code in events.withLock { $0.append("close \(code?.rawValue ?? 0)") } }))
        }
        let server = try TestServer.start(routers: ["club": router])
        let result = try await runPython("net_ws_client.py", [String(server.port), "echo"])
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        var waited = 0
        while !(events.withLock { $0.last?.hasPrefix("close") ?? false }) && waited < 200 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        let seen = events.withLock { $0 }
        #expect(seen.first == "open")
        #expect(seen.last == "close 1000")
        let numbered = seen.filter { $0.hasPrefix("m") }
        #expect(numbered == (0..<200).map { "m\($0)" })
        await server.stop()
    }
}

@Suite struct SignalShutdownTests {
    /// SIGTERM to a real `felt` process: WebSocket peers get close 1001, the listener
    /// stops accepting and the process exits 0.
    @Test func sigtermClosesWebSocketsWith1001AndExitsCleanly() async throws {
        let result = try await runPython("net_signal_shutdown.py", [TestEnvironment.feltExecutable.path], timeout: 60)
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("OK signal_shutdown"))
    }
}
