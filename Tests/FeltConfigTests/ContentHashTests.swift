import FeltConfig
import Foundation
import Testing

/// The content hash is equal for semantically equal configurations and differs otherwise.
@Suite struct ContentHashTests {
    @Test func hashIsStableAcrossKeyOrderWhitespaceStyleAndIncludes() throws {
        let inline = try FeltConfiguration.load(path: Fixtures.path("split/inline.yaml"), environment: [:])
        let split = try FeltConfiguration.load(path: Fixtures.path("split/root.yaml"), environment: [:])
        #expect(split.files.count == 2)
        #expect(inline.contentHash == split.contentHash)
        #expect(inline.contentHash.count == 64)
        #expect(inline.contentHash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test func hashChangesWhenAValueChanges() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let original = try String(contentsOfFile: Fixtures.path("split/inline.yaml"), encoding: .utf8)
        try FileManager.default.createDirectory(at: folder.url.appendingPathComponent("secrets"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.path("split/secrets/hs256.secret"),
                                         toPath: folder.url.appendingPathComponent("secrets/hs256.secret").path)
        let same = try folder.write("same.yaml", "# a comment\n" + original)
        let changed = try folder.write("changed.yaml", original.replacingOccurrences(of: "cap: 10", with: "cap: 11"))
        let base = try FeltConfiguration.load(path: Fixtures.path("split/inline.yaml"), environment: [:])
        #expect(try FeltConfiguration.load(path: same, environment: [:]).contentHash == base.contentHash)
        #expect(try FeltConfiguration.load(path: changed, environment: [:]).contentHash != base.contentHash)
    }

    @Test func hashChangesWhenASecretRotatesButNotWhenItMovesFromFileToEnvironment() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        let secret = String(repeating: "k", count: 40)
        try folder.write("secrets/a.secret", secret + "\n")
        func config(_ reference: String) -> String {
            """
            tenants:
              - id: aces
                hosts: [aces.felt.localhost]
                jwt: { keys: [{ kid: k1, alg: HS256, \(reference) }] }
            """
        }
        let fromFile = try FeltConfiguration.load(path: folder.write("file.yaml", config("secret_file: secrets/a.secret")),
                                                  environment: [:])
        let path = try folder.write("env.yaml", config("secret_env: ACES_SECRET"))
        let fromEnv = try FeltConfiguration.load(path: path, environment: ["ACES_SECRET": secret])
        let rotated = try FeltConfiguration.load(path: path, environment: ["ACES_SECRET": secret + "x"])
        #expect(fromFile.contentHash == fromEnv.contentHash)
        #expect(rotated.contentHash != fromEnv.contentHash)
    }

    @Test func snapshotsCarryAGenerationAndTheHash() throws {
        let configuration = try FeltConfiguration.load(path: Fixtures.path("split/inline.yaml"), environment: [:])
        let snapshot = ConfigSnapshot(generation: 1, configuration: configuration)
        #expect(snapshot.generation == 1)
        #expect(snapshot.contentHash == configuration.contentHash)
    }
}
