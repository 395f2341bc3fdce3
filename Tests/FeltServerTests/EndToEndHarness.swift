import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// The end-to-end scenarios' server: the tables `Tests/python/e2e_tables.py` expects.
final class E2EServer: TableServerHarness, @unchecked Sendable {
    // @unchecked Sendable: no stored state beyond the base class's.
    init() async throws {
        try await super.init(name: "e2e", databaseVariable: "FELT_E2E_DATABASE_URL", yaml: Self.yaml,
                             script: "e2e_tables.py")
    }

    /// Runs one scenario of `Tests/python/e2e_tables.py` against the running server.
    func scenario(_ name: String, timeout: TimeInterval = 180) async throws -> ProcessResult {
        try await runScript([name], timeout: timeout)
    }

    /// `felt audit --config` on the (stopped) server's configuration and database.
    func audit() async throws -> ProcessResult { try await audit(options: []) }

    /// Two clubs; table types as documented at the top of `e2e_tables.py`.
    static let yaml = """
        server:
          listen: { host: 127.0.0.1, port: 0 }
          event_loops: 2
          heartbeat_interval: 500ms
          reconnect_grace: 0s
          hand_pause: 300ms
          ws_message_rate: 50/s
        database:
          url_env: FELT_E2E_DATABASE_URL
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
            tables:
              - { type: nl, count: 12 }
              - { type: hu, count: 1 }
              - { type: vip, count: 1 }
              - { type: quick, count: 1 }
              - { type: high, count: 1 }
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
              - { type: nl, count: 4 }

        """
}
