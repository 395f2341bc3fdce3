import FeltAuth
import FeltConfig
import FeltNet
import FeltStore
import Foundation
import Testing
@testable import FeltServer

/// Tenant runtimes without I/O: key loading, the authentication helper for HTTP and
/// WebSocket upgrades, revocation, status. The pool is created but never connects.
@Suite struct TenantRuntimeTests {
    static func load(extraTenant: String = "") throws -> (FeltConfiguration, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-runtime-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(String(repeating: "s", count: 40).utf8).write(to: folder.appendingPathComponent("a.secret"))
        try Data(Ed25519KeyGenerator.generatePEM().privateKeyPEM.utf8).write(to: folder.appendingPathComponent("b.pem"))
        // A PEM block whose content is not a key: passes the file check, fails to load.
        try Data("-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n".utf8)
            .write(to: folder.appendingPathComponent("bad.pem"))
        let yaml = """
            database:
              url_env: FELT_UNUSED_DATABASE_URL
            tenants:
              - id: alpha
                hosts: [alpha.test]
                jwt:
                  keys:
                    - { kid: a1, alg: HS256, secret_file: a.secret }
              - id: beta
                hosts: [beta.test]
                jwt:
                  keys:
                    - { kid: b1, alg: EdDSA, key_file: b.pem }
            \(extraTenant)
            """
        let path = folder.appendingPathComponent("felt.yaml").path
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
        let configuration = try FeltConfiguration.load(path: path, environment: ["FELT_UNUSED_DATABASE_URL": "host=/nonexistent"])
        return (configuration, folder)
    }

    static func runtimes(_ configuration: FeltConfiguration) throws -> [TenantRuntime] {
        let pool = PostgresPool(configuration: .init(connection: PostgresConnectionInfo(conninfo: "host=/nonexistent")),
                                budget: ConnectionBudget(limit: 1))
        let hasher = try PasswordHasher(parameters: ScryptParameters(logN: 10, r: 8, p: 1))
        return configuration.tenants.map { TenantRuntime(config: $0, pool: pool, hasher: hasher, status: .ready, log: .silent) }
    }

    func request(_ target: String, authorization: String? = nil) -> HTTPRequest {
        var headers = HTTPHeaders()
        if let authorization { headers.add("Authorization", authorization) }
        return HTTPRequest(method: .get, target: target, headers: headers)
    }

    @Test func accessTokenVerifiesOnlyOnItsOwnTenant() throws {
        let (configuration, folder) = try Self.load()
        defer { try? FileManager.default.removeItem(at: folder) }
        let runtimes = try Self.runtimes(configuration)
        let alpha = runtimes[0], beta = runtimes[1]
        let token = try #require(alpha.authority).issueAccessToken(subject: "42")
        let user = try alpha.authenticate(request("/api/auth/me", authorization: "Bearer \(token.token)"))
        #expect(user.userID == 42)
        #expect(user.claims.audience == "alpha")
        #expect(throws: HTTPError.self) { try beta.authenticate(request("/api/auth/me", authorization: "Bearer \(token.token)")) }
        let ed = try #require(beta.authority).issueAccessToken(subject: "7")
        #expect(try beta.authenticate(token: ed.token).userID == 7)
        #expect(throws: HTTPError.self) { try alpha.authenticate(token: ed.token) }
    }

    @Test func webSocketUpgradeTakesTheTokenFromTheQueryOrTheHeader() throws {
        let (configuration, folder) = try Self.load()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alpha = try Self.runtimes(configuration)[0]
        let token = try #require(alpha.authority).issueAccessToken(subject: "5").token
        #expect(try alpha.authenticateWebSocket(request("/ws/table/t1?token=\(token)")).userID == 5)
        #expect(try alpha.authenticateWebSocket(request("/ws/table/t1", authorization: "Bearer \(token)")).userID == 5)
        do {
            _ = try alpha.authenticateWebSocket(request("/ws/table/t1"))
            Issue.record("an upgrade without a token was accepted")
        } catch {
            #expect(error.status == 401)
            #expect(error.code == "invalid_token")
            #expect(error.headers["WWW-Authenticate"] == "Bearer error=\"invalid_token\"")
        }
        #expect(throws: HTTPError.self) { try alpha.authenticateWebSocket(request("/ws/table/t1?token=\(token)&token=\(token)")) }
    }

    @Test func revokedTokenIsRejectedAndOthersStillPass() throws {
        let (configuration, folder) = try Self.load()
        defer { try? FileManager.default.removeItem(at: folder) }
        let alpha = try Self.runtimes(configuration)[0]
        let authority = try #require(alpha.authority)
        let revoked = try authority.issueAccessToken(subject: "9")
        let kept = try authority.issueAccessToken(subject: "9")
        alpha.revokedAccessTokens.insert(revoked.claims.tokenID, expiresAt: revoked.claims.expiresAt, now: revoked.claims.issuedAt)
        #expect(throws: HTTPError.self) { try alpha.authenticate(token: revoked.token) }
        #expect(try alpha.authenticate(token: kept.token).userID == 9)
    }

    @Test func unreadableKeyMakesOnlyThatTenantUnavailable() throws {
        let (configuration, folder) = try Self.load(extraTenant: """
              - id: gamma
                hosts: [gamma.test]
                jwt:
                  keys:
                    - { kid: g1, alg: EdDSA, key_file: bad.pem }
            """)
        defer { try? FileManager.default.removeItem(at: folder) }
        let runtimes = try Self.runtimes(configuration)
        #expect(runtimes[0].status.current == .ready)
        #expect(runtimes[1].status.current == .ready)
        #expect(runtimes[2].status.current.isReady == false)
        #expect(runtimes[2].authority == nil)
        #expect(String(decoding: runtimes[2].jwks, as: UTF8.self) == "{\"keys\":[]}")
        #expect(String(decoding: runtimes[1].jwks, as: UTF8.self).contains("\"kid\":\"b1\""))
    }

    @Test func revokedSetPrunesExpiredEntriesButKeepsLiveOnes() {
        let set = RevokedAccessTokens()
        set.insert("live", expiresAt: 10_000, now: 0)
        for index in 0..<1100 { set.insert("old\(index)", expiresAt: 50, now: 100) }
        #expect(set.contains("live"))
        #expect(set.count < 1100)
        #expect(!set.contains("old0"))
    }

    @Test func storeFailuresMapToStableAPIErrors() {
        let unavailable = APIError.database(DatabaseError(.databaseUnavailable, "connection refused"), log: .silent, tenant: "a")
        #expect(unavailable.status == 503)
        #expect(unavailable.code == "database_unavailable")
        #expect(unavailable.headers["Retry-After"] == "1")
        let taken = APIError.database(DatabaseError(.usernameTaken, "taken"), log: .silent, tenant: "a")
        #expect(taken.status == 409 && taken.code == "username_taken")
        let other = APIError.database(DatabaseError(.queryFailed, "syntax error"), log: .silent, tenant: "a")
        #expect(other.status == 500 && other.code == "internal_error")
        #expect(APIError.rateLimited(retryAfter: 12).headers["Retry-After"] == "12")
    }
}
