import Foundation
import Testing
@testable import FeltNet

@Suite struct AutobahnConformanceTests {
    /// Runs every Autobahn case (via kosoku) against the echo endpoint served from
    /// this test process; fails on any outcome other than OK / NON-STRICT /
    /// INFORMATIONAL (and UNIMPLEMENTED for the compression sections 12 and 13).
    @Test func autobahnSuitePassesAgainstTheEchoEndpoint() async throws {
        let group = try EventLoopGroup(loopCount: 2)
        let server = AutobahnEcho.makeServer(port: 0, group: group)
        try server.start()
        let result = try await runPython("autobahn_run.py", ["--address", "127.0.0.1:\(server.port)"], timeout: 900)
        #expect(result.status == 0, "\(result.stdout)\n\(result.stderr)")
        #expect(result.stdout.contains("autobahn: all cases accepted"))
        await server.shutdown(timeout: .seconds(2))
        _ = try? await blocking { group.shutdown() }
    }
}
