import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// The live-table tests' server: the tables `Tests/python/live_tables.py` expects.
final class TableLiveServer: TableServerHarness, @unchecked Sendable {
    // @unchecked Sendable: no stored state beyond the base class's.
    init() async throws {
        try await super.init(name: "live", databaseVariable: "FELT_LIVE_DATABASE_URL", yaml: Self.yaml,
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

    static let yaml = """
        server:
          listen: { host: 127.0.0.1, port: 0 }
          event_loops: 2
          heartbeat_interval: 500ms
          reconnect_grace: 0s
          hand_pause: 200ms
          ws_message_rate: 50/s
        database:
          url_env: FELT_LIVE_DATABASE_URL
          max_connections: 12
        defaults:
          limits:
            login_rate: 1000/1m
            register_rate: 1000/1m
          table_type:
            variant: nlhe
            blinds: { small: 5, big: 10 }
            buy_in: { min: 200, max: 2000 }
            seats: 6
            action_timeout: 30s
            time_bank: 0s
            rake: { percent: 5, cap: 30, no_flop_no_drop: true }
        tenants:
          - id: aces
            hosts: [aces.test]
            jwt:
              issuer: https://aces.test
              keys:
                - { kid: aces-1, alg: HS256, secret_file: aces.secret }
            wallet: { starting_balance: 10000 }
            table_types:
              - { id: nl }
              - { id: hu, seats: 2 }
              - { id: vip, passphrase_file: vip.passphrase }
              - { id: quick, action_timeout: 1s }
              - { id: high, buy_in: { min: 20000, max: 50000 } }
              - { id: free, rake: { percent: 0, cap: 0 } }
            tables:
              - { type: nl, count: 8 }
              - { type: hu, count: 1 }
              - { type: vip, count: 1 }
              - { type: quick, count: 1 }
              - { type: high, count: 1 }
              - { type: free, count: 1 }
          - id: kings
            hosts: [kings.test]
            jwt:
              issuer: https://kings.test
              keys:
                - { kid: kings-1, alg: HS256, secret_file: kings.secret }
            wallet: { starting_balance: 7000 }
            table_types:
              - { id: nl }
            tables:
              - { type: nl, count: 2 }

        """
}
