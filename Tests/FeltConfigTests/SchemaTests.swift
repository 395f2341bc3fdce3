import FeltConfig
import Foundation
import Testing

/// Defaults, references between files and less common schema paths, on generated files.
@Suite struct SchemaTests {
    static let secret = String(repeating: "x", count: 32)
    static let tenant = """
      - id: aces
        hosts: [aces.felt.localhost]
        jwt: { keys: [{ kid: k1, alg: HS256, secret_env: ACES }] }

    """
    let environment = ["ACES": SchemaTests.secret, "DB_URL": "postgresql://felt@db/felt"]

    func load(_ files: [String: String], root: String = "felt.yaml") throws -> (FeltConfiguration?, [ConfigIssue], TemporaryFolder) {
        let folder = try TemporaryFolder()
        for (name, text) in files { try folder.write(name, text) }
        let path = folder.url.appendingPathComponent(root).path
        do {
            return (try FeltConfiguration.load(path: path, environment: environment), [], folder)
        } catch {
            return (nil, error.issues, folder)
        }
    }

    @Test func anAbsentServerAndDatabaseGetTheDocumentedDefaults() throws {
        let (config, issues, folder) = try load(["felt.yaml": "tenants:\n" + SchemaTests.tenant])
        defer { folder.cleanup() }
        #expect(issues.isEmpty)
        let server = try #require(config?.server)
        #expect(server.listenHost == "0.0.0.0")
        #expect(server.listenPort == 8080)
        #expect(server.eventLoops == ProcessInfo.processInfo.activeProcessorCount)
        #expect(server.baseDomain == "felt.localhost")
        #expect(server.adminToken == nil)
        #expect(server.heartbeatInterval == .seconds(1))
        #expect(server.maxBodyBytes == 1 << 20)
        #expect(server.reconnectGrace == .zero)
        #expect(server.handPause == .seconds(2))
        #expect(server.sitOutTimeout == .seconds(300))
        #expect(server.wsMessageRate == RateLimit(count: 10, period: .seconds(1)))
        #expect(config?.database == DatabaseSettings(kind: .embedded(dataDirectory: ".felt/pgdata"), maxConnections: 16))
        let aces = try #require(config?.tenants.first)
        #expect(aces.name == "aces")
        #expect(aces.jwt.issuer == "felt/aces")
        #expect(aces.jwt.accessTTL == .seconds(900))
        #expect(aces.wallet == WalletConfig(startingBalance: 10_000, chipName: "chips"))
        #expect(aces.limits.maxTables == 100)
    }

    @Test func anExternalDatabaseURLIsReadFromTheEnvironment() throws {
        let (config, issues, folder) = try load(["felt.yaml": "database: { url_env: DB_URL, max_connections: 8 }\ntenants:\n" + SchemaTests.tenant])
        defer { folder.cleanup() }
        #expect(issues.isEmpty)
        #expect(config?.database.kind == .url(SecretValue(bytes: Array("postgresql://felt@db/felt".utf8), source: "env DB_URL")))
        #expect(config?.database.maxConnections == 8)
    }

    @Test func embeddedAndURLTogetherConflict() throws {
        let (_, issues, folder) = try load(["felt.yaml": "database:\n  embedded: {}\n  url_env: DB_URL\ntenants:\n" + SchemaTests.tenant])
        defer { folder.cleanup() }
        #expect(issues.map(\.description) == ["\(folder.url.path)/felt.yaml:3:3 database.url_env: give only one of embedded, url_env, url_file"])
        #expect(issues.map(\.code) == [.conflictingKeys])
    }

    @Test func aQuotedNumberIsAString() throws {
        let (_, issues, folder) = try load(["felt.yaml": "server: { listen: { port: \"8080\" } }\ntenants:\n" + SchemaTests.tenant])
        defer { folder.cleanup() }
        #expect(issues.map(\.message) == ["expected an integer, got a string"])
        #expect(issues.first?.keyPath == "server.listen.port")
        #expect(issues.first?.column == 27)
    }

    @Test func aListWhereAMappingBelongsIsAWrongType() throws {
        let (_, issues, folder) = try load(["felt.yaml": "- just\n- a list\n"])
        defer { folder.cleanup() }
        #expect(issues.map(\.description) == ["\(folder.url.path)/felt.yaml:1:1: expected a mapping, got a list"])
    }

    @Test func nestedIncludesResolveRelativeToTheIncludingFileAndReportThere() throws {
        let (_, issues, folder) = try load([
            "felt.yaml": "include: clubs/*.yaml\ntenants:\n" + SchemaTests.tenant,
            "clubs/kings.yaml": "include: more/*.yaml\ntenants:\n  - id: kings\n    hosts: [kings.felt.localhost]\n    jwt: { keys: [{ kid: k, alg: HS256, secret_env: ACES }] }\n",
            "clubs/more/queens.yaml": "tenants:\n  - id: queens\n    hosts: [Aces.Felt.Localhost.]\n    jwt: { keys: [{ kid: k, alg: HS256, secret_env: ACES }] }\n",
        ])
        defer { folder.cleanup() }
        let root = folder.url.path
        #expect(issues.map(\.description) == [
            "\(root)/clubs/more/queens.yaml:3:13 tenants[queens].hosts[0]: host 'aces.felt.localhost' is already used by tenant aces (\(root)/felt.yaml:4:13)",
        ])
    }

    @Test func errorsAcrossFilesAreAllReportedInFileOrder() throws {
        let (_, issues, folder) = try load([
            "felt.yaml": "include: [b.yaml, a.yaml]\nserver: { event_loops: 0 }\ntenants:\n" + SchemaTests.tenant,
            "a.yaml": "tenants:\n  - id: a1\n    hosts: [a1.test]\n    jwt: { keys: [] }\n",
            "b.yaml": "tenants:\n  - id: b1\n    hosts: [b1.test]\n    colour: red\n    jwt: { keys: [{ kid: k, alg: HS256, secret_env: ACES }] }\n",
        ])
        defer { folder.cleanup() }
        let root = folder.url.path
        #expect(issues.map(\.description) == [
            "\(root)/felt.yaml:2:24 server.event_loops: must be between 1 and 256",
            "\(root)/b.yaml:4:5 tenants[b1].colour: unknown key (expected one of: id, name, hosts, jwt, wallet, limits, table_types, tables)",
            "\(root)/a.yaml:4:18 tenants[a1].jwt.keys: must list at least one key",
        ])
    }

    @Test func countedTablesGetNumberedIdsAndNames() throws {
        let (config, issues, folder) = try load(["felt.yaml": "tenants:\n" + SchemaTests.tenant + """
            table_types:
              - { id: nl-2-4, variant: nlhe, blinds: { small: 2, big: 4 }, buy_in: { max: 300 } }
            tables:
              - { type: nl-2-4, count: 2, name: Low Stakes }

        """])
        defer { folder.cleanup() }
        #expect(issues.isEmpty)
        let tables = try #require(config?.tenants.first?.tables)
        #expect(tables.map(\.id) == ["nl-2-4-1", "nl-2-4-2"])
        #expect(tables.map(\.name) == ["Low Stakes 1", "Low Stakes 2"])
        #expect(tables.first?.type.buyIn == .init(min: 80, max: 300))
        #expect(tables.first?.type.seats == 9)
        #expect(tables.first?.type.rake == .zero)
    }

    @Test func aHostListedTwiceInOneTenantIsReported() throws {
        let (_, issues, folder) = try load(["felt.yaml": """
        tenants:
          - id: aces
            hosts: [aces.felt.localhost, aces.felt.localhost:443]
            jwt: { keys: [{ kid: k1, alg: HS256, secret_env: ACES }] }

        """])
        defer { folder.cleanup() }
        #expect(issues.map(\.message) == ["host 'aces.felt.localhost' is already used by this tenant (\(folder.url.path)/felt.yaml:3:13)"])
        #expect(issues.map(\.code) == [.duplicateHost])
    }

    @Test func inheritedDefaultsMergeKeyByKey() throws {
        let (config, issues, folder) = try load(["felt.yaml": """
        defaults:
          wallet: { chip_name: beans }
          table_type: { rake: { percent: 3, cap: 7 } }
        tenants:
        """ + "\n" + SchemaTests.tenant + """
            wallet: { starting_balance: 5 }
            table_types:
              - { id: t, variant: plo, blinds: { small: 1, big: 2 }, rake: { cap: 9 } }

        """])
        defer { folder.cleanup() }
        #expect(issues.isEmpty)
        let aces = try #require(config?.tenants.first)
        #expect(aces.wallet == WalletConfig(startingBalance: 5, chipName: "beans"))
        #expect(aces.tableTypes.first?.rake == .init(basisPoints: 300, cap: 9, noFlopNoDrop: true))
    }

    @Test(arguments: [("2.25", "225"), ("7", "700"), ("0.5", "50"), ("10", "1000"),
                      ("10.01", "must be between 0 and 10 (percent)"), ("-1", "must be between 0 and 10 (percent)"),
                      ("1.234", "at most two decimals are allowed"), ("five", "expected a number such as 5 or 2.5, got 'five'"),
                      ("1.", "expected a number such as 5 or 2.5, got '1.'"), ("\"5\"", "expected a number, got a string")])
    func rakePercentIsReadAsBasisPoints(_ written: String, _ outcome: String) throws {
        let (config, issues, folder) = try load(["felt.yaml": "tenants:\n" + SchemaTests.tenant + """
            table_types:
              - { id: t, variant: nlhe, blinds: { small: 1, big: 2 }, rake: { percent: \(written) } }

        """])
        defer { folder.cleanup() }
        if let points = Int(outcome) {
            #expect(issues.isEmpty)
            #expect(config?.tenants.first?.tableTypes.first?.rake.basisPoints == points)
        } else {
            #expect(issues.map(\.message) == [outcome])
            #expect(issues.first?.keyPath == "tenants[aces].table_types[t].rake.percent")
        }
    }

    @Test func sequentialAndParallelLoadingGiveTheSameResultAndProblems() throws {
        let folder = try TemporaryFolder()
        defer { folder.cleanup() }
        for index in 0..<40 {
            let host = index % 7 == 3 ? "aces.felt.localhost" : "c\(index).test"
            let extra = index % 5 == 2 ? "    colour: red\n" : ""
            try folder.write("clubs/c\(index).yaml", """
            tenants:
              - id: c\(index % 37)
                hosts: [\(host)]
            \(extra)    jwt: { keys: [{ kid: k, alg: HS256, secret_env: ACES }] }

            """)
        }
        let root = try folder.write("felt.yaml", "include: clubs/*.yaml\ntenants:\n" + SchemaTests.tenant)
        func run(_ parallel: Bool) -> [ConfigIssue] {
            do {
                _ = try FeltConfiguration.load(path: root, environment: environment, limits: ConfigLimits(parallel: parallel))
                return []
            } catch {
                return error.issues
            }
        }
        let sequential = run(false)
        #expect(sequential.count == 15)  // 3 duplicate ids, 5 host clashes, 7 unknown keys (tenants with a duplicate id are skipped)
        #expect(Set(sequential.map(\.code)) == [.duplicateHost, .duplicateID, .unknownKey])
        #expect(run(true) == sequential)
        let valid = try FeltConfiguration.load(path: Fixtures.examples.appendingPathComponent("felt.yaml").path, environment: [:],
                                               limits: ConfigLimits(parallel: false))
        let parallel = try FeltConfiguration.load(path: Fixtures.examples.appendingPathComponent("felt.yaml").path, environment: [:])
        #expect(valid == parallel)
    }
}
