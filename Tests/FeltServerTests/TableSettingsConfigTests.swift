import FeltConfig
import FeltServer
import FeltTables
import Foundation
import Testing

/// A table type's clocks as `felt serve` hands them to the tables: the time bank, its refill
/// and the server's reconnect grace, with their documented defaults.
@Suite struct TableSettingsConfigTests {
    static let yaml = """
        tenants:
          - id: aces
            hosts: [aces.test]
            jwt: { keys: [{ kid: k1, alg: HS256, secret_env: ACES }] }
            table_types:
              - { id: plain, variant: nlhe, blinds: { small: 5, big: 10 } }
              - { id: bank, variant: nlhe, blinds: { small: 5, big: 10 }, time_bank: 20s, time_bank_refill: 500ms }
            tables:
              - { type: plain, count: 1 }
              - { type: bank, count: 1 }

        """

    func load(_ text: String) throws -> Result<FeltConfiguration, ConfigErrors> {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("felt-clock-config-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("felt.yaml").path
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
        do {
            return .success(try FeltConfiguration.load(path: path, environment: ["ACES": String(repeating: "k", count: 32)]))
        } catch {
            return .failure(error)
        }
    }

    func settings(_ config: FeltConfiguration, _ table: String) throws -> TableSettings {
        let tenant = try #require(config.tenant(id: "aces"))
        let found = try #require(tenant.tables.first { $0.id == table })
        return TableSettings(table: found, server: config.server)
    }

    @Test func timeBankRefillIsReadAndDefaultsToTwoSecondsAHand() throws {
        let config = try load(Self.yaml).get()
        let plain = try settings(config, "plain-1")
        #expect(plain.timeBankMillis == 60_000)
        #expect(plain.timeBankRefillMillis == 2_000)
        let bank = try settings(config, "bank-1")
        #expect(bank.timeBankMillis == 20_000)
        #expect(bank.timeBankRefillMillis == 500)
    }

    @Test func disconnectIsLeaveUnlessAReconnectGraceIsConfigured() throws {
        let config = try load(Self.yaml).get()
        #expect(try settings(config, "plain-1").reconnectGraceMillis == 0)
        let graced = try load("server:\n  reconnect_grace: 3s\n" + Self.yaml).get()
        #expect(try settings(graced, "plain-1").reconnectGraceMillis == 3_000)
    }

    @Test func aTimeBankRefillThatIsNoDurationIsRefusedWithItsPath() throws {
        let text = Self.yaml.replacingOccurrences(of: "time_bank_refill: 500ms", with: "time_bank_refill: soon")
        guard case .failure(let error) = try load(text) else {
            Issue.record("a refill of 'soon' was accepted")
            return
        }
        let issue = try #require(error.issues.first { $0.keyPath.hasSuffix("time_bank_refill") })
        #expect(issue.message.contains("not a duration"))
    }
}
