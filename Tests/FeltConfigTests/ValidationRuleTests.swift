import FeltConfig
import Foundation
import Testing

/// One bad-input fixture and the single issue it must produce.
struct RuleCase: Sendable, CustomTestStringConvertible {
    let fixture: String
    let line: Int
    let column: Int
    let keyPath: String
    let code: ConfigIssue.Code
    /// `{dir}` stands for the fixture folder.
    let message: String

    var testDescription: String { fixture }
}

@Suite struct ValidationRuleTests {
    static let cases: [RuleCase] = [
        RuleCase(fixture: "unknown-key", line: 9, column: 5, keyPath: "tenants[aces].walet", code: .unknownKey,
                 message: "unknown key (expected one of: id, name, hosts, jwt, wallet, limits, table_types, tables)"),
        RuleCase(fixture: "wrong-type", line: 12, column: 16, keyPath: "tenants[aces].table_types[nl-10-20].seats",
                 code: .wrongType, message: "expected an integer, got a string"),
        RuleCase(fixture: "missing-key", line: 10, column: 9, keyPath: "tenants[aces].table_types[nl-10-20].variant",
                 code: .missingKey, message: "missing required key"),
        RuleCase(fixture: "duplicate-tenant-id", line: 16, column: 9, keyPath: "tenants[aces].id", code: .duplicateID,
                 message: "duplicate tenant id 'aces' (first defined at {dir}/duplicate-tenant-id.yaml:2:9)"),
        RuleCase(fixture: "duplicate-table-type-id", line: 13, column: 13,
                 keyPath: "tenants[aces].table_types[nl-10-20].id", code: .duplicateID,
                 message: "duplicate table type id 'nl-10-20' (first defined at {dir}/duplicate-table-type-id.yaml:10:13)"),
        RuleCase(fixture: "duplicate-table-id", line: 16, column: 13, keyPath: "tenants[aces].tables[nl-10-20-2].id",
                 code: .duplicateID,
                 message: "duplicate table id 'nl-10-20-2' (first defined at {dir}/duplicate-table-id.yaml:15:16)"),
        RuleCase(fixture: "duplicate-key-id", line: 9, column: 16, keyPath: "tenants[aces].jwt.keys[k1].kid",
                 code: .duplicateID, message: "duplicate key id 'k1' (first defined at {dir}/duplicate-key-id.yaml:6:16)"),
        RuleCase(fixture: "big-blind-not-greater", line: 12, column: 35,
                 keyPath: "tenants[aces].table_types[nl-10-20].blinds.big", code: .outOfRange,
                 message: "must be greater than the small blind (20)"),
        RuleCase(fixture: "buy-in-below-big-blind", line: 13, column: 24,
                 keyPath: "tenants[aces].table_types[nl-10-20].buy_in.min", code: .outOfRange,
                 message: "must be at least the big blind (20)"),
        RuleCase(fixture: "buy-in-max-below-min", line: 13, column: 34,
                 keyPath: "tenants[aces].table_types[nl-10-20].buy_in.max", code: .outOfRange,
                 message: "must be at least buy_in.min (400)"),
        RuleCase(fixture: "seats-too-many", line: 13, column: 16, keyPath: "tenants[aces].table_types[nl-10-20].seats",
                 code: .outOfRange, message: "must be between 2 and 10"),
        RuleCase(fixture: "seats-too-few", line: 13, column: 16, keyPath: "tenants[aces].table_types[nl-10-20].seats",
                 code: .outOfRange, message: "must be between 2 and 10"),
        RuleCase(fixture: "rake-percent-too-high", line: 13, column: 26,
                 keyPath: "tenants[aces].table_types[nl-10-20].rake.percent", code: .outOfRange,
                 message: "must be between 0 and 10 (percent)"),
        RuleCase(fixture: "rake-cap-negative", line: 13, column: 34,
                 keyPath: "tenants[aces].table_types[nl-10-20].rake.cap", code: .outOfRange, message: "must be zero or more"),
        RuleCase(fixture: "unknown-table-type", line: 14, column: 15, keyPath: "tenants[aces].tables[0].type",
                 code: .unknownTableType, message: "no table type 'nl-20-40' in this tenant (known: nl-10-20)"),
        RuleCase(fixture: "duplicate-host", line: 19, column: 9, keyPath: "tenants[kings].hosts[1]", code: .duplicateHost,
                 message: "host 'aces.felt.localhost' is already used by tenant aces ({dir}/duplicate-host.yaml:3:13)"),
        RuleCase(fixture: "invalid-tenant-id", line: 2, column: 9, keyPath: "tenants[Aces-Club].id", code: .invalidID,
                 message: "'Aces-Club' is not a valid tenant id; use [a-z][a-z0-9_]{0,39} (it becomes the PostgreSQL schema tenant_<id>)"),
        RuleCase(fixture: "reserved-tenant-id", line: 2, column: 9, keyPath: "tenants[public].id", code: .reservedID,
                 message: "'public' is reserved; choose another tenant id"),
        RuleCase(fixture: "hs256-secret-too-short", line: 8, column: 24, keyPath: "tenants[aces].jwt.keys[k1].secret_file",
                 code: .secretTooShort,
                 message: "HS256 secret from file {dir}/secrets/short.secret is 16 bytes; at least 32 are required"),
        RuleCase(fixture: "secret-env-missing", line: 8, column: 23, keyPath: "tenants[aces].jwt.keys[k1].secret_env",
                 code: .secretMissing, message: "environment variable FELT_TEST_SECRET_THAT_IS_NOT_SET is not set"),
        RuleCase(fixture: "secret-file-missing", line: 8, column: 24, keyPath: "tenants[aces].jwt.keys[k1].secret_file",
                 code: .secretUnreadable, message: "secret file {dir}/secrets/missing.secret does not exist"),
        RuleCase(fixture: "eddsa-key-not-pem", line: 8, column: 21, keyPath: "tenants[aces].jwt.keys[k1].key_file",
                 code: .invalidKeyFile,
                 message: "{dir}/secrets/not-a-key.pem is not a PEM private key (expected a -----BEGIN PRIVATE KEY----- block)"),
        RuleCase(fixture: "include-no-match", line: 1, column: 11, keyPath: "include[0]", code: .includeNoMatch,
                 message: "'clubs/*.yaml' matches no file (looked for {dir}/clubs/*.yaml)"),
        RuleCase(fixture: "duration-without-unit", line: 13, column: 25,
                 keyPath: "tenants[aces].table_types[nl-10-20].action_timeout", code: .invalidValue,
                 message: "'30' is not a duration; write a number with a unit (ms, s, m, h, d), e.g. 30s or 1h30m"),
        RuleCase(fixture: "table-id-and-count", line: 15, column: 9, keyPath: "tenants[aces].tables[main].count",
                 code: .conflictingKeys, message: "give either id (one table) or count (several tables), not both"),
        RuleCase(fixture: "no-active-key", line: 6, column: 9, keyPath: "tenants[aces].jwt.keys", code: .invalidValue,
                 message: "needs at least one key with state active"),
        RuleCase(fixture: "max-tables-exceeded", line: 14, column: 5, keyPath: "tenants[aces].tables", code: .limitExceeded,
                 message: "2 tables are configured but limits.max_tables is 1"),
        RuleCase(fixture: "ante-amount-missing", line: 13, column: 15,
                 keyPath: "tenants[aces].table_types[nl-10-20].ante.amount", code: .missingKey, message: "missing required key"),
        RuleCase(fixture: "bad-default", line: 3, column: 12, keyPath: "defaults.table_type.seats", code: .outOfRange,
                 message: "must be between 2 and 10"),
    ]

    @Test("each bad-input fixture yields exactly its error with file, line, column and key path", arguments: cases)
    func fixtureYieldsItsError(_ rule: RuleCase) {
        let directory = Fixtures.path("rules")
        let path = directory + "/" + rule.fixture + ".yaml"
        let issues = Fixtures.issues(path, environment: ["FELT_UNRELATED": "x"])
        let expected = ConfigIssue(file: path, line: rule.line, column: rule.column, keyPath: rule.keyPath,
                                   message: rule.message.replacingOccurrences(of: "{dir}", with: directory), code: rule.code)
        #expect(issues == [expected])
        #expect(issues.first?.description == "\(path):\(rule.line):\(rule.column) \(rule.keyPath): \(expected.message)")
    }

    @Test func theMinimalFixtureIsValidSoEachRuleFixtureFailsForItsOwnReason() throws {
        let configuration = try FeltConfiguration.load(path: Fixtures.path("rules/valid-minimal.yaml"), environment: [:])
        #expect(configuration.tenants.map(\.id) == ["aces"])
        #expect(configuration.tenants[0].tables.map(\.id) == ["nl-10-20-1", "nl-10-20-2"])
    }

    @Test func everyErrorInAFileIsReportedAtOnceInFileOrder() {
        let path = Fixtures.path("rules/many-errors.yaml")
        let rendered = Fixtures.issues(path).map { $0.description.replacingOccurrences(of: path, with: "F") }
        #expect(rendered == [
            "F:2:19 server.listen.port: must be between 0 and 65535",
            "F:9:16 tenants[aces].jwt.keys[k1].alg: must be one of: HS256, EdDSA (got 'HS512')",
            "F:13:18 tenants[aces].table_types[nl-10-20].variant: must be one of: nlhe, plo, flhe (got 'stud')",
            "F:14:35 tenants[aces].table_types[nl-10-20].blinds.big: must be greater than the small blind (10)",
            "F:15:16 tenants[aces].table_types[nl-10-20].seats: must be between 2 and 10",
            "F:19:15 tenants[aces].tables[t1].type: no table type 'missing' in this tenant",
        ])
    }

    @Test func anIncludeCycleIsReportedWithTheChain() {
        let directory = Fixtures.path("cycle")
        let issues = Fixtures.issues(directory + "/root.yaml")
        #expect(issues.count == 1)
        #expect(issues.first?.code == .includeCycle)
        #expect(issues.first?.file == directory + "/b.yaml")
        #expect(issues.first?.line == 2)
        #expect(issues.first?.column == 10)
        #expect(issues.first?.keyPath == "include")
        #expect(issues.first?.message == "include cycle: \(directory)/a.yaml → \(directory)/b.yaml → \(directory)/a.yaml")
    }

    @Test func secretEnvironmentVariablesAreResolvedAtLoadTime() throws {
        let secret = String(repeating: "s", count: 40)
        let configuration = try FeltConfiguration.load(path: Fixtures.path("rules/secret-env-missing.yaml"),
                                                       environment: ["FELT_TEST_SECRET_THAT_IS_NOT_SET": secret])
        let key = try #require(configuration.tenants.first?.jwt.keys.first)
        #expect(key.material.bytes == Array(secret.utf8))
        #expect(key.material.source == "env FELT_TEST_SECRET_THAT_IS_NOT_SET")
        #expect(!"\(key.material)".contains(secret))
    }
}
