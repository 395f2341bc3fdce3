import FeltTestSupport
import Foundation
import Testing

/// Issue 6 session behaviour over real sockets, real PostgreSQL and a real `felt serve`:
/// duplicates of an idempotent join still running, key scope, the reconnect grace (default
/// and 3 s) and the time bank in the action deadline. Each server runs its scenarios at
/// once (on separate tables), then stops, and `felt audit` must find every escrow empty.
@Suite("Live sessions against felt serve", .serialized)
struct LiveSessionTests {
    @Test func inFlightDuplicatesKeyScopeLastCloseLeavesAndTimeBankWithTheDefaultGrace() async throws {
        let server = try await LiveSessionServer(reconnectGrace: nil)
        defer { server.removeFiles() }
        let results = await server.scenarios(["in_flight_idempotency", "idempotency_key_scope",
                                              "default_grace_disconnect_is_leave", "last_of_two_connections_leaves",
                                              "unstored_response_releases_key",
                                              "time_bank_deadline"])
        await Self.check(results, server)
    }

    @Test func reconnectingWithinTheGraceKeepsTheSeatAnExpiredGraceOrAnHTTPLeavePaysOutOnce() async throws {
        let server = try await LiveSessionServer(reconnectGrace: "3s")
        defer { server.removeFiles() }
        let results = await server.scenarios(["grace_reconnect_keeps_seat", "grace_expiry_pays_once",
                                              "grace_http_leave_while_away"])
        await Self.check(results, server)
    }

    static func check(_ results: [(name: String, result: ProcessResult?)], _ server: LiveSessionServer) async {
        for (name, result) in results {
            #expect(result?.status == 0,
                    "\(name): \(result?.stdout ?? "did not run") \(result?.stderr.suffix(2000) ?? "")\n\(server.log.suffix(2000))")
            #expect(result?.stdout.contains("ok \(name)") == true, "\(name) did not report ok")
        }
        #expect(await server.stop() == 0)
        let audit = await server.auditStopped()
        #expect(audit?.status == 0, "audit: \(audit?.stdout ?? "did not run") \(audit?.stderr ?? "")")
        #expect(audit?.stdout.contains("clean") == true)
    }
}
