import FeltTestSupport
import Foundation
import Testing

/// `felt check-config` run as a process, as operators and the SwiftPM plugin use it.
@Suite struct CheckConfigCommandTests {
    let felt = TestEnvironment.feltExecutable.path

    @Test func theShippedExamplesPassWithASummary() async throws {
        let result = try await runProcess(felt, ["check-config", "config/felt.yaml"], currentDirectory: TestEnvironment.packageRoot,
                                    timeout: 60)
        #expect(result.status == 0)
        #expect(result.stdout.contains("config/felt.yaml: OK (3 files)"))
        #expect(result.stdout.contains("tenants: 3, hosts: 5, table types: 7, tables: 16"))
        #expect(result.stdout.contains("aces (Aces Club): aces.felt.localhost, play.aces.example.test"))
        #expect(result.stdout.range(of: "content hash: sha256:[0-9a-f]{64}", options: .regularExpression) != nil)
    }

    @Test func aBrokenConfigurationPrintsEveryErrorAndExitsOne() async throws {
        let result = try await runProcess(felt, ["check-config", "Tests/fixtures/config/rules/many-errors.yaml"],
                                    currentDirectory: TestEnvironment.packageRoot, timeout: 60)
        #expect(result.status == 1)
        let lines = result.stderr.split(separator: "\n").map(String.init)
        #expect(lines.first == "Tests/fixtures/config/rules/many-errors.yaml:2:19 server.listen.port: must be between 0 and 65535")
        #expect(lines.contains("Tests/fixtures/config/rules/many-errors.yaml:14:35 tenants[aces].table_types[nl-10-20].blinds.big: must be greater than the small blind (10)"))
        #expect(lines.last == "Tests/fixtures/config/rules/many-errors.yaml: 6 errors; configuration rejected")
        #expect(result.stdout.isEmpty)
    }

    @Test func theConfigOptionWorksLikeThePath() async throws {
        let result = try await runProcess(felt, ["check-config", "--config", "config/felt.yaml"],
                                    currentDirectory: TestEnvironment.packageRoot, timeout: 60)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("config/felt.yaml: OK (3 files)"))
    }

    @Test func usageMistakesExitTwo() async throws {
        let none = try await runProcess(felt, ["check-config"], timeout: 60)
        #expect(none.status == 2)
        #expect(none.stderr.contains("USAGE: felt check-config PATH"))
        let unknown = try await runProcess(felt, ["check-config", "--frobnicate", "x.yaml"], timeout: 60)
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("unknown option --frobnicate"))
        let two = try await runProcess(felt, ["check-config", "a.yaml", "b.yaml"], timeout: 60)
        #expect(two.status == 2)
        #expect(two.stderr.contains("expected exactly one PATH"))
    }
}
