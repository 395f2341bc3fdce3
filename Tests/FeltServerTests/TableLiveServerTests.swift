import FeltTestSupport
import Foundation
import Testing

/// Issue 6 over real sockets, real PostgreSQL and a real `felt serve` process: the Python
/// scenarios of `Tests/python/live_tables.py` against one server, then `felt audit` on the
/// stopped server; and a `kill -9` in the middle of a hand with a restart.
@Suite("Live tables against felt serve", .serialized)
struct TableLiveServerTests {
    static let scenarios = [
        "view_own_cards", "autoleave_on_close", "concurrent_joins", "http_leave_with_ws_open",
        "not_your_turn_and_join_via_ws", "showdown_payouts_and_rake", "table_rules", "turn_timeout_folds",
        "two_tenants", "lost_response_and_limits",
    ]

    @Test func scenariosPlayOverHTTPAndWebSocketAndTheAuditIsCleanAfterShutdown() async throws {
        let server = try await TableLiveServer()
        defer { server.removeFiles() }
        let results = await server.scenarios(Self.scenarios) { try await server.scenario($0) }
        for (name, result) in results {
            #expect(result?.status == 0, "\(name): \(result?.stdout ?? "did not run") \(result?.stderr.suffix(2000) ?? "")")
            #expect(result?.stdout.contains("ok \(name)") == true, "\(name) did not report ok")
        }
        #expect(await server.stop() == 0)
        #expect(server.log.contains("signal"))
        let audit = try await server.audit()
        #expect(audit.status == 0, "audit: \(audit.stdout) \(audit.stderr)")
        #expect(audit.stdout.contains("tenant aces:") && audit.stdout.contains("tenant kings:"))
        #expect(audit.stdout.contains("clean"))
    }

    @Test func killNineMidHandReturnsEveryChipToTheWalletsAtTheNextStart() async throws {
        let server = try await TableLiveServer()
        defer { server.removeFiles() }
        let state = server.folder.appendingPathComponent("kill-state.json").path
        // The client sends SIGKILL itself while its WebSockets are open and the hand runs.
        let setup = try await server.scenario("kill_setup", state: state, killingServer: true)
        #expect(setup.status == 0, "setup: \(setup.stdout) \(setup.stderr)")
        server.waitForExit()
        // Killed with a hand running: the escrows still hold the buy-ins, which the audit
        // of a stopped server reports.
        let dirty = try await server.audit()
        #expect(dirty.status == 1, "audit after kill -9 should see open escrows: \(dirty.stdout)")
        #expect(dirty.stdout.contains("escrow"))
        try await server.start()
        #expect(server.log.contains("open escrows to wallets"))
        let check = try await server.scenario("kill_check", state: state)
        #expect(check.status == 0, "check: \(check.stdout) \(check.stderr)\n\(server.log.suffix(3000))")
        #expect(await server.stop() == 0)
        let audit = try await server.audit()
        #expect(audit.status == 0, "audit: \(audit.stdout) \(audit.stderr)")
    }
}
