import FeltStore
import FeltTestSupport
import Foundation

/// The session tests' server: the tables `Tests/python/live_sessions.py` expects, with the
/// default reconnect grace (the key left out) or `reconnect_grace: 3s`.
final class LiveSessionServer: TableServerHarness, @unchecked Sendable {
    // @unchecked Sendable: no stored state beyond the base class's.
    init(reconnectGrace: String?) async throws {
        try await super.init(name: "sessions", databaseVariable: "FELT_SESSIONS_DATABASE_URL",
                             setup: Self.setup(reconnectGrace: reconnectGrace), script: "live_sessions.py")
    }

    /// Runs one scenario of `Tests/python/live_sessions.py`; the script may reach the
    /// server's database (`FELT_SESSIONS_DATABASE_URL`) to hold rows locked.
    func scenario(_ name: String) async throws -> ProcessResult {
        try await runScript([name], environment: [databaseVariable: database.conninfo], timeout: 120)
    }

    /// Runs `names` at once (each on its own tables) and returns their results by name.
    func scenarios(_ names: [String]) async -> [(name: String, result: ProcessResult?)] {
        await scenarios(names) { try await self.scenario($0) }
    }

    /// `felt audit` with the server stopped (every escrow must be empty).
    func auditStopped() async -> ProcessResult? {
        try? await self.audit(options: ["--server-stopped"])
    }

    /// Club `aces` only, without rake; tables as documented at the top of `live_sessions.py`.
    static func setup(reconnectGrace: String?) -> TableServerSetup {
        TableServerSetup(
            handPause: "200ms", reconnectGrace: reconnectGrace, rake: "{ percent: 0, cap: 0 }",
            aces: ClubTables(
                tableTypes: ["{ id: nl }", "{ id: bank, action_timeout: 2s, time_bank: 2s, time_bank_refill: 500ms }"],
                tables: ["{ type: nl, count: 5 }", "{ type: bank, count: 1 }"]),
            kings: nil)
    }
}
