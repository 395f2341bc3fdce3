import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// The end-to-end scenarios' server: the tables `Tests/python/e2e_tables.py` expects.
final class E2EServer: TableServerHarness, @unchecked Sendable {
    // @unchecked Sendable: no stored state beyond the base class's.
    init() async throws {
        try await super.init(name: "e2e", databaseVariable: "FELT_E2E_DATABASE_URL", setup: Self.setup,
                             script: "e2e_tables.py")
    }

    /// Runs one scenario of `Tests/python/e2e_tables.py` against the running server.
    func scenario(_ name: String, timeout: TimeInterval = 180) async throws -> ProcessResult {
        try await runScript([name], timeout: timeout)
    }

    /// `felt audit --config` on the (stopped) server's configuration and database.
    func audit() async throws -> ProcessResult { try await audit(options: []) }

    /// Two clubs; table types as documented at the top of `e2e_tables.py`.
    static let setup = TableServerSetup(
        handPause: "300ms", reconnectGrace: "0s", rake: "{ percent: 5, cap: 30, no_flop_no_drop: true }",
        aces: ClubTables(
            tableTypes: ["{ id: nl }", "{ id: hu, seats: 2 }", "{ id: vip, passphrase_file: vip.passphrase }",
                         "{ id: quick, action_timeout: 1s }", "{ id: high, buy_in: { min: 20000, max: 50000 } }"],
            tables: ["{ type: nl, count: 12 }", "{ type: hu, count: 1 }", "{ type: vip, count: 1 }",
                     "{ type: quick, count: 1 }", "{ type: high, count: 1 }"]),
        kings: ClubTables(tableTypes: ["{ id: nl }"], tables: ["{ type: nl, count: 4 }"]))
}
