import FeltTestSupport
import Foundation
import Testing

/// The hostile files again, through `felt check-config` in a child process whose address
/// space is capped (`ulimit -v`, 1 GB — far below what expanding an alias bomb or building a tree for a 50 MB file would take) and whose run time is capped (`runProcess` kills it
/// after 60 s): each must be rejected with its error, not crash, hang or exhaust memory.
@Suite struct HostileProcessLimitTests {
    static func generate(_ name: String) -> Data {
        switch name {
        case "laughs.yaml":
            var text = "a0: &a0 [\"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\", \"lol\"]\n"
            for level in 1...9 {
                text += "a\(level): &a\(level) [\(Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", "))]\n"
            }
            return Data(text.utf8)
        case "deep.yaml":
            return Data((String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)).utf8)
        case "huge.yaml":
            return Data(repeating: UInt8(ascii: "#"), count: 50 << 20)
        case "wide.yaml":
            var text = "m:\n"
            for index in 0..<200_000 { text += "  k\(index): \(index)\n" }
            return Data((text + "  k3: 0\n").utf8)
        default:
            return Data([0x00, 0xFF, 0xFE, 0x00])
        }
    }

    @Test(arguments: [("laughs.yaml", "YAML aliases (*name) are not supported"),
                      ("deep.yaml", "nesting deeper than 64 levels"),
                      ("huge.yaml", "the limit is 8 MiB"),
                      ("wide.yaml", "duplicate key 'k3'"),
                      ("binary.yaml", "binary data")])
    func hostileFileIsRejectedWithinLimits(_ name: String, _ expected: String) async throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let path = try folder.write(name, HostileProcessLimitTests.generate(name))
        let felt = TestEnvironment.feltExecutable.path
        let result = try await runProcess("/bin/sh", ["-c", "ulimit -v 1000000 && exec \"$0\" check-config \"$1\"", felt, path],
                                    timeout: 60)
        #expect(!result.signaled)
        #expect(result.status == 1)
        #expect(result.stderr.contains(expected), "\(result.stderr)")
    }
}
