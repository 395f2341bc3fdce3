import FeltStore
import FeltTestSupport
import Foundation
import Testing

/// Accounts and tokens over real HTTP against a real `felt serve` process and PostgreSQL.
/// Each test gets its own server and database; the scenarios live in
/// `Tests/python/server_auth.py` and assert every status, code and body they see.
@Suite struct ServerAccountTests {
    /// Starts a server on a fresh database, runs `body`, stops it with SIGTERM and checks
    /// the graceful exit (status 0).
    func withServer(_ body: (ServerHarness) async throws -> Void) async throws {
        let harness = try await ServerHarness(database: try await databaseWithBrokenTenant())
        do {
            try await body(harness)
        } catch {
            _ = await harness.stop()
            throw error
        }
        let status = await harness.stop()
        #expect(status == 0, "felt serve exit status after SIGTERM\n\(harness.log)")
    }

    func expectScenario(_ harness: ServerHarness, _ name: String) async throws {
        let result = try await harness.scenario(name)
        #expect(result.status == 0, "scenario \(name) failed:\n\(result.stdout)\(result.stderr)\n--- server log ---\n\(harness.log)")
        #expect(result.stdout.contains("ok \(name)"))
    }

    @Test func fullAccountFlowOnTwoTenantsAtOnceThroughOneListener() async throws {
        try await withServer { harness in
            #expect(harness.log.contains("alpha [alpha.test] ready"))
            #expect(harness.log.contains("beta [beta.test, www.beta.test] ready"))
            try await expectScenario(harness, "flow")
        }
    }

    @Test func everyListedBadTokenIsRejectedWith401InvalidToken() async throws {
        try await withServer { harness in try await expectScenario(harness, "rejections") }
    }

    @Test func refreshRotatesAndReuseOfAUsedTokenRevokesTheFamily() async throws {
        try await withServer { harness in try await expectScenario(harness, "refresh") }
    }

    @Test func logoutRevokesTheAccessTokenAndTheRefreshFamily() async throws {
        try await withServer { harness in try await expectScenario(harness, "logout") }
    }

    @Test func loginAndRegisterAreRateLimitedPerTenantWithRetryAfter() async throws {
        try await withServer { harness in try await expectScenario(harness, "ratelimit") }
    }

    @Test func failedMigrationOfOneTenantLeavesTheOthersServing() async throws {
        let info = try await databaseWithBrokenTenant()
        let harness = try await ServerHarness(database: info)
        let result = try await harness.scenario("unavailable")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)\n--- server log ---\n\(harness.log)")
        #expect(harness.log.contains("tenant broken is unavailable: migration failed at version 1"))
        #expect(harness.log.contains("broken [broken.test] unavailable"))
        // The catalog recorded the failure for broken and success for the others.
        let pool = PostgresPool(configuration: .init(connection: info, maxConnections: 1), budget: ConnectionBudget(limit: 1))
        let broken = try await FeltCatalog.runs(pool, tenantID: "broken")
        let alpha = try await FeltCatalog.runs(pool, tenantID: "alpha")
        pool.close()
        #expect(broken.last?.result == "failed")
        #expect(broken.last?.failedVersion == 1)
        #expect(alpha.last?.result == "succeeded")
        #expect(await harness.stop(keepFolder: true) == 0)

        // Remove the conflict and restart: the migration resumes and the tenant serves.
        let admin = PostgresPool(configuration: .init(connection: info, maxConnections: 1), budget: ConnectionBudget(limit: 1))
        try await admin.execute(script: "DROP TABLE tenant_broken.users")
        let second = try await ServerHarness(database: info, reuse: harness.folder)
        #expect(second.log.contains("broken [broken.test] ready"))
        let repaired = try await second.scenario("broken-repaired")
        #expect(repaired.status == 0, "\(repaired.stdout)\(repaired.stderr)\n\(second.log)")
        #expect(await second.stop() == 0)
        #expect(try await FeltCatalog.runs(admin, tenantID: "broken").last?.result == "succeeded")
        admin.close()
    }

    @Test func databaseRestartGives503ThenRecoversWithoutRestartingFelt() async throws {
        let cluster = try await TestPostgres.makeCluster(name: "restart")
        let harness = try await ServerHarness(database: cluster.connectionInfo())
        let state = harness.folder.appendingPathComponent("state.json").path
        let prepare = try await harness.scenario("db-prepare", state: state)
        #expect(prepare.status == 0, "\(prepare.stdout)\(prepare.stderr)\n\(harness.log)")
        try await cluster.stop()
        let down = try await harness.scenario("db-down", state: state)
        #expect(down.status == 0, "\(down.stdout)\(down.stderr)\n\(harness.log)")
        try await cluster.start()
        let recovered = try await harness.scenario("db-recovered", state: state)
        #expect(recovered.status == 0, "\(recovered.stdout)\(recovered.stderr)\n\(harness.log)")
        #expect(await harness.stop() == 0)
        try await cluster.stop()
    }

    @Test func postgresRestartWhileRequestsFlowGives503ThenRecovers() async throws {
        let cluster = try await TestPostgres.makeCluster(name: "flap")
        let harness = try await ServerHarness(database: cluster.connectionInfo())
        let state = harness.folder.appendingPathComponent("state.json").path
        let prepare = try await harness.scenario("db-prepare", state: state)
        #expect(prepare.status == 0, "\(prepare.stdout)\(prepare.stderr)\n\(harness.log)")
        // The client loops on GET /api/auth/me while PostgreSQL goes down and comes back.
        let client = Task.detached { try await harness.scenario("db-flap", state: state) }
        let running = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: state + ".running"), Date() < running {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(500))
        try await cluster.stop()
        // Down until the client has seen a 503 (bounded), so a slow machine cannot skip it.
        let down = Date().addingTimeInterval(60)
        while !FileManager.default.fileExists(atPath: state + ".saw503"), Date() < down {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await cluster.start()
        let flap = try await client.value
        #expect(flap.status == 0, "\(flap.stdout)\(flap.stderr)\n\(harness.log)")
        #expect(flap.stdout.contains("transitions: [200, 503, 200]"))
        #expect(await harness.stop() == 0)
        try await cluster.stop()
    }

    @Test func restartKeepsAccountsAndLoginUpgradesOlderScryptHashes() async throws {
        let info = try await databaseWithBrokenTenant()
        let first = try await ServerHarness(database: info, scryptLogN: 10)
        let state = first.folder.appendingPathComponent("state.json").path
        let prepare = try await first.scenario("db-prepare", state: state)
        #expect(prepare.status == 0, "\(prepare.stdout)\(prepare.stderr)\n\(first.log)")
        #expect(await first.stop(keepFolder: true) == 0)

        let pool = PostgresPool(configuration: .init(connection: info, maxConnections: 1), budget: ConnectionBudget(limit: 1))
        defer { pool.close() }
        func storedHash() async throws -> String {
            try #require(try await pool.query("SELECT password_hash FROM tenant_alpha.users").first).string("password_hash")
        }
        #expect(try await storedHash().contains("ln=10"))

        let second = try await ServerHarness(database: info, scryptLogN: 11, reuse: first.folder)
        let again = try await second.scenario("login-again", state: state)
        #expect(again.status == 0, "\(again.stdout)\(again.stderr)\n\(second.log)")
        #expect(await second.stop() == 0)
        #expect(try await storedHash().contains("ln=11"))
    }

    @Test func invalidConfigurationPrintsEveryErrorAndExitsWithStatus1() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-bad-config-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("felt.yaml").path
        try Data("""
            server:
              listen: { port: 99999 }
            tenants:
              - id: Bad-Id
                hosts: [a.test]
                jwt:
                  keys:
                    - { kid: k1, alg: HS256, secret_env: FELT_TEST_MISSING_SECRET }

            """.utf8).write(to: URL(fileURLWithPath: path))
        let result = try await runProcess(TestEnvironment.feltExecutable.path, ["serve", "--config", path], timeout: 60)
        #expect(result.status == 1)
        #expect(result.stderr.contains("server.listen.port"))
        #expect(result.stderr.contains("tenants[Bad-Id].id") || result.stderr.contains("tenants[0].id"))
        #expect(result.stderr.contains("FELT_TEST_MISSING_SECRET"))
        #expect(result.stderr.contains("configuration rejected"))
        #expect(!result.stdout.contains("felt ready"))
    }

    @Test func serveRejectsUsageMistakesWithStatus2() async throws {
        let port = try await runProcess(TestEnvironment.feltExecutable.path, ["serve", "--port", "70000"], timeout: 30)
        #expect(port.status == 2)
        #expect(port.stderr.contains("--port must be 0–65535"))
        let unknown = try await runProcess(TestEnvironment.feltExecutable.path, ["serve", "--bogus"], timeout: 30)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option --bogus"))
    }
}

/// The README's command: `felt serve --config config/felt.yaml` with its embedded
/// PostgreSQL, created on first start and reused on the next.
@Suite struct EmbeddedServeTests {
    @Test func shippedConfigurationServesOnAFreshEmbeddedClusterAndRestarts() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-embedded-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let dataDirectory = folder.appendingPathComponent("data").path
        let arguments = ["serve", "--config", "config/felt.yaml", "--port", "0", "--data-dir", dataDirectory,
                         "--test-scrypt-log-n", "10"]
        let first = try await ServerHarness(folder: folder, arguments: arguments, currentDirectory: TestEnvironment.packageRoot)
        #expect(first.log.contains("created cluster"))
        #expect(first.log.contains("river [river.felt.localhost, river.example.test] ready"))
        #expect(first.log.contains("aces [aces.felt.localhost, play.aces.example.test] ready"))
        let registered = try await runProcess("curl", ["-s", "-H", "Host: aces.felt.localhost", "-d",
                                                 "{\"username\":\"readme\",\"password\":\"correct horse\"}",
                                                 "http://127.0.0.1:\(first.port)/api/auth/register"], timeout: 30)
        #expect(registered.stdout.contains("\"balance\":20000"), "\(registered.stdout)\n\(first.log)")
        #expect(await first.stop(keepFolder: true) == 0)
        #expect(first.log.contains("stopped"))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/pgdata/postmaster.pid"))

        let second = try await ServerHarness(folder: folder, arguments: arguments, currentDirectory: TestEnvironment.packageRoot)
        #expect(!second.log.contains("created cluster"))
        let login = try await runProcess("curl", ["-s", "-H", "Host: aces.felt.localhost", "-d",
                                            "{\"username\":\"README\",\"password\":\"correct horse\"}",
                                            "http://127.0.0.1:\(second.port)/api/auth/login"], timeout: 30)
        #expect(login.stdout.contains("\"username\":\"readme\""), "\(login.stdout)\n\(second.log)")
        #expect(await second.stop(keepFolder: true) == 0)
    }
}
