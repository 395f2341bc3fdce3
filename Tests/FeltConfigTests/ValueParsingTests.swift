import FeltConfig
import Testing

/// Durations, rates and host names.
@Suite struct ValueParsingTests {
    @Test(arguments: [("250ms", 250), ("30s", 30_000), ("15m", 900_000), ("2h", 7_200_000), ("7d", 604_800_000),
                      ("1h30m", 5_400_000), ("0s", 0)] as [(String, Int64)])
    func durationsWithUnitsParse(_ text: String, _ milliseconds: Int64) {
        #expect(ConfigDuration(parsing: text)?.milliseconds == milliseconds)
    }

    @Test(arguments: ["30", "", "s", "5x", "-5s", "1.5s", "1h30", "99999999999999d", "999999999999d", "36500d1ms"])
    func malformedDurationsAreRejected(_ text: String) {
        #expect(ConfigDuration(parsing: text) == nil)
    }

    @Test func durationsPrintCanonically() {
        #expect(ConfigDuration(milliseconds: 5_400_250).description == "1h30m250ms")
        #expect(ConfigDuration.zero.description == "0s")
        #expect(ConfigDuration.seconds(2).duration == .seconds(2))
    }

    @Test func ratesParse() {
        #expect(RateLimit(parsing: "10/1m") == RateLimit(count: 10, period: .seconds(60)))
        #expect(RateLimit(parsing: "10/s") == RateLimit(count: 10, period: .seconds(1)))
        #expect(RateLimit(parsing: "5/10s")?.period == .seconds(10))
        #expect(RateLimit(parsing: "0/1m") == nil)
        #expect(RateLimit(parsing: "10") == nil)
        #expect(RateLimit(parsing: "10/0s") == nil)
        #expect(RateLimit(count: 3, period: .seconds(3600)).description == "3/1h")
    }

    @Test func hostsNormaliseToLowerCaseWithoutPortOrTrailingDot() {
        #expect(normalizeHost("Aces.Felt.Localhost.:8080") == "aces.felt.localhost")
        #expect(HostName.normalize("aces.felt.localhost.") == "aces.felt.localhost")
        #expect(HostName.normalize("[::1]:8080") == "[::1]")
        #expect(HostName.normalize("EXAMPLE.test") == "example.test")
    }

    @Test func hostValidity() {
        #expect(HostName.isValid("aces.felt.localhost"))
        #expect(HostName.isValid("a-b.example"))
        #expect(!HostName.isValid("-a.example"))
        #expect(!HostName.isValid("a..b"))
        #expect(!HostName.isValid("has space"))
        #expect(!HostName.isValid(""))
        #expect(!HostName.isValid(String(repeating: "a", count: 64) + ".test"))
    }
}
