import FeltConfig
import Foundation
import Testing

/// The shipped `config/felt.yaml` parses into the expected values.
@Suite struct ExampleConfigurationTests {
    let configuration: FeltConfiguration

    init() throws {
        configuration = try FeltConfiguration.load(path: Fixtures.examples.appendingPathComponent("felt.yaml").path,
                                                   environment: [:])
    }

    @Test func serverAndDatabaseSettingsAreRead() {
        let server = configuration.server
        #expect(server.listenHost == "127.0.0.1")
        #expect(server.listenPort == 8080)
        #expect(server.eventLoops >= 1)
        #expect(server.baseDomain == "felt.localhost")
        #expect(server.adminToken?.text == "DEVELOPMENT-ONLY-admin-token-change-me-in-production")
        #expect(server.heartbeatInterval == .seconds(1))
        #expect(server.maxBodyBytes == 1 << 20)
        #expect(server.reconnectGrace == .seconds(30))
        #expect(server.handPause == .seconds(2))
        #expect(server.sitOutTimeout == .seconds(300))
        #expect(server.wsMessageRate == RateLimit(count: 10, period: .seconds(1)))
        #expect(configuration.database.kind == .embedded(dataDirectory: ".felt/pgdata"))
        #expect(configuration.database.maxConnections == 16)
    }

    @Test func threeClubsComeFromTheRootFileAndTheIncludedFiles() {
        #expect(configuration.tenants.map(\.id) == ["river", "aces", "kings"])
        #expect(configuration.files.count == 3)
        #expect(configuration.files[1].hasSuffix("config/tenants/aces.yaml"))
        #expect(configuration.tenants.map(\.schemaName) == ["tenant_river", "tenant_aces", "tenant_kings"])
    }

    @Test func acesHasItsKeysWalletLimitsAndInheritedDefaults() throws {
        let aces = try #require(configuration.tenant(id: "aces"))
        #expect(aces.name == "Aces Club")
        #expect(aces.hosts == ["aces.felt.localhost", "play.aces.example.test"])
        #expect(aces.jwt.issuer == "https://aces.felt.localhost")
        #expect(aces.jwt.accessTTL == ConfigDuration(milliseconds: 600_000))
        #expect(aces.jwt.refreshTTL == .seconds(30 * 86_400))  // from defaults
        #expect(aces.jwt.keys.map(\.kid) == ["aces-2026", "aces-2025"])
        #expect(aces.jwt.keys.map(\.state) == [.active, .verifyOnly])
        #expect(aces.jwt.keys.allSatisfy { $0.algorithm == .hs256 && $0.material.bytes.count >= 32 })
        #expect(aces.jwt.signingKey?.kid == "aces-2026")
        #expect(aces.wallet == WalletConfig(startingBalance: 20_000, chipName: "chips"))
        #expect(aces.limits == LimitsConfig(maxTables: 20, maxSeatedPlayers: 500,
                                            loginRate: RateLimit(count: 10, period: .seconds(60)),
                                            registerRate: RateLimit(count: 5, period: .seconds(3600))))
    }

    @Test func acesTableTypesAndExpandedTables() throws {
        let aces = try #require(configuration.tenant(id: "aces"))
        #expect(aces.tableTypes.map(\.id) == ["nl-10-20", "nl-5-10-ante", "plo-25-50"])
        let nl = try #require(aces.tableType("nl-10-20"))
        #expect(nl.variant == .nlhe)
        #expect(nl.blinds == .init(small: 10, big: 20))
        #expect(nl.buyIn == .init(min: 400, max: 2000))
        #expect(nl.ante == .none)
        #expect(nl.seats == 9)
        #expect(nl.actionTimeout == .seconds(25))
        #expect(nl.timeBank == .seconds(60))  // from defaults
        #expect(nl.rake == .init(basisPoints: 500, cap: 30, noFlopNoDrop: true))  // from defaults
        #expect(!nl.isPrivate)
        let ante = try #require(aces.tableType("nl-5-10-ante"))
        #expect(ante.ante == .perPlayer(1))
        #expect(ante.buyIn == .init(min: 200, max: 1000))  // 20 and 100 big blinds
        let plo = try #require(aces.tableType("plo-25-50"))
        #expect(plo.variant == .plo)
        #expect(plo.timeBank == .seconds(90))
        #expect(plo.rake == .init(basisPoints: 500, cap: 50, noFlopNoDrop: true))
        #expect(aces.tables.map(\.id) == ["nl-10-20-1", "nl-10-20-2", "nl-10-20-3", "main-event",
                                          "nl-5-10-ante-1", "nl-5-10-ante-2", "plo-25-50-1", "plo-25-50-2"])
        #expect(aces.table("main-event")?.name == "Main Event")
        #expect(aces.table("main-event")?.type == nl)
        #expect(aces.table("plo-25-50-2")?.type == plo)
    }

    @Test func kingsHasAPrivatePassphraseTable() throws {
        let kings = try #require(configuration.tenant(id: "kings"))
        #expect(kings.wallet == WalletConfig(startingBalance: 5000, chipName: "crowns"))
        #expect(kings.limits.loginRate == RateLimit(count: 5, period: .seconds(60)))
        let back = try #require(kings.table("back-room"))
        #expect(back.type.isPrivate)
        #expect(back.type.passphrase?.text == "development-only-passphrase")
        #expect(back.type.seats == 2)
        #expect(kings.tableType("nl-1-2")?.rake == .init(basisPoints: 0, cap: 0, noFlopNoDrop: true))
        #expect(kings.tables.map(\.id) == ["nl-1-2-1", "nl-1-2-2", "nl-1-2-3", "nl-1-2-4", "back-room"])
    }

    @Test func riverUsesAnEdDSAKeyFixedLimitAndABigBlindAnte() throws {
        let river = try #require(configuration.tenant(id: "river"))
        let key = try #require(river.jwt.keys.first)
        #expect(key.algorithm == .edDSA)
        #expect(key.material.text.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(river.wallet.chipName == "pebbles")
        #expect(river.wallet.startingBalance == 10_000)
        #expect(river.tableType("flhe-4-8")?.variant == .flhe)
        #expect(river.tableType("flhe-4-8")?.seats == 10)
        #expect(river.tableType("nl-1-2-bba")?.ante == .bigBlind(2))
        #expect(river.tableType("nl-1-2-bba")?.rake.basisPoints == 450)
        #expect(river.tables.map(\.id) == ["flhe-4-8-1", "flhe-4-8-2", "sunday-special"])
    }

    @Test func tenantsAreFoundByNormalisedHost() {
        #expect(configuration.tenant(forHost: "ACES.felt.localhost.:8080")?.id == "aces")
        #expect(configuration.tenant(forHost: "river.example.test")?.id == "river")
        #expect(configuration.tenant(forHost: "unknown.felt.localhost") == nil)
    }

    @Test func theDescriptionOfASecretNeverShowsIt() throws {
        let aces = try #require(configuration.tenant(id: "aces"))
        let text = "\(aces)"
        #expect(!text.contains("DEVELOPMENT-ONLY-aces"))
        #expect(text.contains("<secret from file"))
    }
}
