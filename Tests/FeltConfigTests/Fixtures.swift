import FeltConfig
import FeltTestSupport
import Foundation
import Testing

/// Locations of the configuration fixtures (kept outside the test target folder).
enum Fixtures {
    static let root = TestEnvironment.packageRoot.appendingPathComponent("Tests/fixtures/config")
    static let examples = TestEnvironment.packageRoot.appendingPathComponent("config")

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// Loads `path`, expecting failure; returns the issues (records a test failure on success).
    static func issues(_ path: String, environment: [String: String] = [:], limits: ConfigLimits = .standard,
                       sourceLocation: SourceLocation = #_sourceLocation) -> [ConfigIssue] {
        do {
            let configuration = try FeltConfiguration.load(path: path, environment: environment, limits: limits)
            Issue.record("expected \(path) to be rejected, but it loaded \(configuration.tenants.count) tenants",
                         sourceLocation: sourceLocation)
            return []
        } catch {
            return error.issues
        }
    }
}

/// A fresh temporary folder, removed by `cleanup()`.
struct TemporaryFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("felt-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Writes `contents` to `name` and returns its path.
    @discardableResult
    func write(_ name: String, _ contents: String) throws -> String {
        try write(name, Data(contents.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file)
        return file.path
    }

    func cleanup() { try? FileManager.default.removeItem(at: url) }
}
