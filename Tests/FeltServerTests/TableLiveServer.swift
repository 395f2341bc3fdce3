import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// The live-table tests' server: the tables `Tests/python/live_tables.py` expects.
final class TableLiveServer: TableServerHarness, @unchecked Sendable {
    // @unchecked Sendable: no stored state beyond the base class's.
    init() async throws {
        try await super.init(name: "live", databaseVariable: "FELT_LIVE_DATABASE_URL", setup: Self.setup,
                             script: "live_tables.py")
    }

    /// Runs one scenario of `Tests/python/live_tables.py`.
    func scenario(_ name: String, state: String? = nil, killingServer: Bool = false) async throws -> ProcessResult {
        var arguments = [name]
        if let state { arguments += ["--state", state] }
        if killingServer, let pid { arguments += ["--kill-pid", String(pid)] }
        return try await runScript(arguments, timeout: 120)
    }

    /// `felt audit` on the server's database, with the server stopped (empty escrows required) or running.
    func audit(serverStopped: Bool = true) async throws -> ProcessResult {
        try await audit(options: [serverStopped ? "--server-stopped" : "--server-running"])
    }

    /// Two clubs; tables as documented at the top of `live_tables.py`.
    static let setup = TableServerSetup(
        handPause: "200ms", reconnectGrace: "0s", rake: "{ percent: 5, cap: 30, no_flop_no_drop: true }",
        aces: ClubTables(
            tableTypes: ["{ id: nl }", "{ id: hu, seats: 2 }", "{ id: vip, passphrase_file: vip.passphrase }",
                         "{ id: quick, action_timeout: 1s }", "{ id: high, buy_in: { min: 20000, max: 50000 } }",
                         "{ id: free, rake: { percent: 0, cap: 0 } }"],
            tables: ["{ type: nl, count: 8 }", "{ type: hu, count: 1 }", "{ type: vip, count: 1 }",
                     "{ type: quick, count: 1 }", "{ type: high, count: 1 }", "{ type: free, count: 1 }"]),
        kings: ClubTables(tableTypes: ["{ id: nl }"], tables: ["{ type: nl, count: 2 }"]))
}
