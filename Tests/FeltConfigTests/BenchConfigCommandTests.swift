import FeltTestSupport
import Foundation
import Testing

/// `felt bench config` generates a valid configuration of the requested size (the timing
/// itself is only meaningful in a release build and is not asserted here).
@Suite struct BenchConfigCommandTests {
    @Test func theGeneratedConfigurationLoadsWithTheRequestedShape() async throws {
        let result = try await runProcess(TestEnvironment.feltExecutable.path, ["bench", "config", "--tenants", "3", "--runs", "1"],
                                    timeout: 120)
        #expect(result.status == 0, "\(result.stderr)")
        let row = result.stdout.split(separator: "\n").first { $0.hasPrefix("3 ") }
        let columns = row.map { $0.split(separator: " ").map(String.init) } ?? []
        #expect(Array(columns.prefix(4)) == ["3", "15", "150", "4"])
    }

    @Test func badOptionsAreUsageErrors() async throws {
        let result = try await runProcess(TestEnvironment.feltExecutable.path, ["bench", "config", "--tenants", "zero"], timeout: 60)
        #expect(result.status == 2)
        #expect(result.stderr.contains("--tenants needs a number from 1 to 20000"))
    }
}
