import FeltTestSupport
import Foundation
import Testing

/// Issue 6 "Must show": the table protocol over real sockets against a real `felt serve`
/// and real PostgreSQL, driven by the Python client in `Tests/python/e2e_tables.py`
/// (httpx + websockets). Each test starts its own server and database, runs its scenarios,
/// stops the server and requires `felt audit --config` to find the ledger clean.
@Suite("End to end: tables over HTTP and WebSocket", .serialized)
struct EndToEndTableTests {
    /// Runs scenarios one after another on one server, then stops it and audits.
    private func run(_ scenarios: [String]) async throws {
        let server = try await E2EServer()
        defer { server.removeFiles() }
        for name in scenarios {
            let result = try await server.scenario(name)
            #expect(result.status == 0 && result.stdout.contains("ok \(name)"),
                    "scenario \(name) failed:\n\(result.stdout)\n\(result.stderr)\n--- server log tail ---\n\(String(server.log.suffix(3000)))")
        }
        let stopped = await server.stop()
        #expect(stopped == 0, "felt serve exited \(stopped) after SIGTERM")
        let audit = try await server.audit()
        #expect(audit.status == 0, "felt audit found violations:\n\(audit.stdout)\n\(audit.stderr)")
    }

    @Test("1, 5, 6, 9: join over HTTP then WebSocket sees own cards only; leaving by HTTP or by closing returns chips once; WebSocket join is refused")
    func joinViewAndLeaving() async throws {
        try await run(["join_then_view", "http_leave_ws_open", "leave_by_close", "join_over_ws"])
    }

    @Test("2, 7, 8: closing during one's turn auto-leaves while the hand goes on; out-of-turn and unseated actions are refused without changing state")
    func turnsAndDisconnects() async throws {
        try await run(["close_during_turn", "not_your_turn", "action_after_leaving"])
    }

    @Test("3, 4: a join whose response was lost is seated and replays by key; concurrent joins debit once")
    func idempotentJoins() async throws {
        try await run(["join_response_lost", "concurrent_joins"])
    }

    @Test("Hands played to showdown pay the winners and the rake; two clubs play at once without crossing; table rules and turn timeout")
    func showdownsTenantsAndRules() async throws {
        try await run(["showdown", "two_tenants", "table_rules"])
    }

    @Test("felt bots: bots register, join over HTTP, play hands over WebSocket, leave, and the chips add up")
    func botsPlayAndLeaveCleanly() async throws {
        let server = try await E2EServer()
        defer { server.removeFiles() }
        let result = try await runProcess(TestEnvironment.feltExecutable.path,
                                    ["bots", "--url", "http://127.0.0.1:\(server.port)", "--host", "aces.test",
                                     "--tables", "2", "--bots-per-table", "3", "--duration", "4", "--workers", "4",
                                     "--think", "50", "--warmup", "1",
                                     "--audit-config", server.configPath],
                                    environment: ["FELT_E2E_DATABASE_URL": server.database.conninfo], timeout: 180)
        let output = result.stdout + result.stderr
        #expect(result.status == 0, "felt bots failed:\n\(output)\n--- server ---\n\(String(server.log.suffix(3000)))")
        let total = output.split(separator: "\n").first { $0.hasPrefix("total: ") }
        let hands = total.flatMap { Int($0.dropFirst(7).prefix { $0.isNumber }) } ?? 0
        #expect(hands > 0, "no hands counted:\n\(output)")
        #expect(output.contains("joined and connected: 6/6"), "not every bot connected:\n\(output)")
        #expect(output.contains("— consistent"), "chip check failed:\n\(output)")
        #expect(!output.contains("(0 samples)"), "no move→view latency measured:\n\(output)")
        let stopped = await server.stop()
        #expect(stopped == 0, "felt serve exited \(stopped) after SIGTERM")
        let audit = try await server.audit()
        #expect(audit.status == 0, "felt audit found violations:\n\(audit.stdout)\n\(audit.stderr)")
    }

    @Test("10: kill -9 mid-hand, restart: every chip back in a wallet, clients reconnect to a consistent lobby, audit clean")
    func killNineMidHand() async throws {
        let server = try await E2EServer()
        defer { server.removeFiles() }
        let state = server.folder.appendingPathComponent("state.json").path
        let portFile = server.folder.appendingPathComponent("port.txt").path
        let client = try SpawnedProcess("python3", [server.script, "kill_restart", "--port", String(server.port),
                                                   "--state", state, "--port-file", portFile])
        defer { try? FileManager.default.removeItem(atPath: client.logPath) }
        let deadline = Date().addingTimeInterval(120)
        while !FileManager.default.fileExists(atPath: state), client.isRunning, Date() < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        try #require(FileManager.default.fileExists(atPath: state),
                     "the client never got to mid-hand:\n\(client.output)\n--- server ---\n\(String(server.log.suffix(3000)))")
        server.killNine()
        try await server.start()
        try Data(String(server.port).utf8).write(to: URL(fileURLWithPath: portFile + ".tmp"))
        try FileManager.default.moveItem(atPath: portFile + ".tmp", toPath: portFile)
        let finish = Date().addingTimeInterval(180)
        while client.isRunning, Date() < finish { try await Task.sleep(for: .milliseconds(50)) }
        if client.isRunning { client.send(SIGKILL) }
        client.waitUntilExit()
        let text = client.output
        #expect(client.terminationStatus == 0 && text.contains("ok kill_restart"),
                "kill -9 scenario failed:\n\(text)\n--- server log tail ---\n\(String(server.log.suffix(4000)))")
        let stopped = await server.stop()
        #expect(stopped == 0, "felt serve exited \(stopped) after SIGTERM")
        let audit = try await server.audit()
        #expect(audit.status == 0, "felt audit found violations:\n\(audit.stdout)\n\(audit.stderr)")
    }
}
