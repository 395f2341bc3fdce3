import FeltAuth
import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// A real `felt serve` child process on an ephemeral port, configured with four tenants
/// (alpha HS256, beta EdDSA, tight with low rate limits, broken whose migration fails)
/// against an external PostgreSQL reached through `database.url_env`.
final class ServerHarness: Sendable {
    let folder: URL
    private let server: FeltServeProcess
    /// The port the server listens on.
    var port: Int { server.port }

    var alphaSecretPath: String { folder.appendingPathComponent("alpha.secret").path }
    var betaKeyPath: String { folder.appendingPathComponent("beta-ed25519.pem").path }

    /// Writes the configuration, starts the server and waits for its ready line.
    /// `reuse` restarts on the configuration folder (keys included) of an earlier, stopped harness.
    convenience init(database: PostgresConnectionInfo, scryptLogN: Int = 10, reuse: URL? = nil) async throws {
        let folder: URL
        if let reuse {
            folder = reuse
        } else {
            folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-server-test-\(UUID().uuidString.prefix(8))")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data((0..<48).map { _ in UInt8.random(in: 33...126) }).write(to: folder.appendingPathComponent("alpha.secret"))
            try Data(Ed25519KeyGenerator.generatePEM().privateKeyPEM.utf8).write(to: folder.appendingPathComponent("beta-ed25519.pem"))
            try Data(Self.yaml.utf8).write(to: folder.appendingPathComponent("felt.yaml"))
        }
        try await self.init(folder: folder,
                            arguments: ["serve", "--config", folder.appendingPathComponent("felt.yaml").path, "--port", "0",
                                        "--test-scrypt-log-n", String(scryptLogN)],
                            environment: ["FELT_TEST_DATABASE_URL": database.conninfo])
    }

    /// Starts `felt` with `arguments` (any configuration) and waits for the ready line;
    /// `folder` is the harness's scratch folder.
    init(folder: URL, arguments: [String], environment: [String: String] = [:],
         currentDirectory: URL? = nil) async throws {
        self.folder = folder
        server = FeltServeProcess(arguments: arguments, environment: environment, currentDirectory: currentDirectory)
        try await server.start(timeout: 90)
    }

    /// Everything the server wrote so far (stdout and stderr interleaved).
    var log: String { server.log }

    /// Runs a scenario of `Tests/python/server_auth.py` against this server.
    func scenario(_ name: String, state: String? = nil) async throws -> ProcessResult {
        var arguments = [TestEnvironment.pythonTests.appendingPathComponent("server_auth.py").path, name,
                         "--port", String(port), "--alpha-secret", alphaSecretPath, "--beta-key", betaKeyPath]
        if let state { arguments += ["--state", state] }
        return try await runProcess("python3", arguments, timeout: 120)
    }

    /// SIGTERM, then waits for the exit; returns the exit status. `keepFolder` leaves the
    /// configuration for a restart.
    func stop(keepFolder: Bool = false) async -> Int32 {
        let status = await server.stop()
        if !keepFolder { try? FileManager.default.removeItem(at: folder) }
        return status
    }

    static let yaml = """
        server:
          listen: { host: 127.0.0.1, port: 0 }
          event_loops: 2
        database:
          url_env: FELT_TEST_DATABASE_URL
          max_connections: 8
        defaults:
          limits:
            login_rate: 1000/1m
            register_rate: 1000/1m
        tenants:
          - id: alpha
            hosts: [alpha.test]
            jwt:
              issuer: https://alpha.test
              keys:
                - { kid: alpha-1, alg: HS256, secret_file: alpha.secret }
            wallet: { starting_balance: 5000 }
          - id: beta
            hosts: [beta.test, www.beta.test]
            jwt:
              issuer: https://beta.test
              keys:
                - { kid: beta-ed-1, alg: EdDSA, key_file: beta-ed25519.pem }
            wallet: { starting_balance: 7000, chip_name: pebbles }
          - id: tight
            hosts: [tight.test]
            jwt:
              issuer: https://tight.test
              keys:
                - { kid: tight-1, alg: HS256, secret_file: alpha.secret }
            limits: { login_rate: 3/1m, register_rate: 2/1h }
          - id: broken
            hosts: [broken.test]
            jwt:
              issuer: https://broken.test
              keys:
                - { kid: broken-1, alg: HS256, secret_file: alpha.secret }

        """
}

struct HarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Makes a fresh database on the shared test cluster where tenant `broken`'s schema
/// already holds a conflicting `users` table, so its first migration genuinely fails.
func databaseWithBrokenTenant() async throws -> PostgresConnectionInfo {
    let info = try await TestPostgres.shared.makeDatabase(prefix: "server")
    let pool = PostgresPool(configuration: .init(connection: info, maxConnections: 1), budget: ConnectionBudget(limit: 1))
    defer { pool.close() }
    try await pool.execute(script: "CREATE SCHEMA tenant_broken; CREATE TABLE tenant_broken.users (conflict integer);")
    return info
}
