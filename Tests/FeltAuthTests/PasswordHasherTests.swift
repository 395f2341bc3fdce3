import Dispatch
import Foundation
import Testing
@testable import FeltAuth

@Suite struct PasswordHasherTests {
    /// Cheap parameters keep the debug suite fast; one test uses the standard ones.
    static let fast: ScryptParameters = {
        do { return try ScryptParameters(logN: 10, r: 8, p: 1) } catch { return .standard }
    }()

    @Test func rightPasswordVerifiesAndWrongOneDoesNot() async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        let stored = try await hasher.hash("correct horse battery")
        #expect(try await hasher.verify("correct horse battery", stored: stored))
        #expect(try await !hasher.verify("correct horse batterz", stored: stored))
        #expect(try await !hasher.verify("", stored: stored))
    }

    @Test func standardParametersRoundTrip() async throws {
        let hasher = try PasswordHasher()
        let stored = try await hasher.hash("pässwörd-🂡-long")
        #expect(stored.hasPrefix("scrypt$ln=15$r=8$p=1$"))
        #expect(try await hasher.verify("pässwörd-🂡-long", stored: stored))
        #expect(try await !hasher.verify("pässwörd-🂡-lonG", stored: stored))
    }

    @Test func storedStringIsSelfDescribingAndParsesBack() async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        let stored = try await hasher.hash("password1")
        let parts = stored.split(separator: "$").map(String.init)
        #expect(parts.count == 6)
        #expect(Array(parts[0...3]) == ["scrypt", "ln=10", "r=8", "p=1"])
        let parsed = try PasswordHash(parsing: stored)
        #expect(parsed.parameters == Self.fast)
        #expect(parsed.salt.count == 16 && parsed.hash.count == 32)
        #expect(parsed.encoded == stored)
    }

    @Test func samePasswordGetsDifferentSalts() async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        let a = try await hasher.hash("password1"), b = try await hasher.hash("password1")
        #expect(a != b)
        #expect(try await hasher.verify("password1", stored: a))
        #expect(try await hasher.verify("password1", stored: b))
    }

    @Test func verifiesHashesMadeWithOtherParametersAndFlagsThemForRehash() async throws {
        let old = try PasswordHasher(parameters: try ScryptParameters(logN: 11, r: 4, p: 2))
        let stored = try await old.hash("password1")
        let current = try PasswordHasher(parameters: Self.fast)
        #expect(try await current.verify("password1", stored: stored))
        #expect(current.needsRehash(stored))
        #expect(!current.needsRehash(try await current.hash("password1")))
    }

    @Test(arguments: [
        "", "scrypt", "bcrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA",                                  // missing hash
        "scrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA$extra",
        "scrypt$n=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=x$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=-1$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=010$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "scrypt$ln=10$r=8$p=1$AAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",            // salt too short
        "scrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA",                                // hash too short
        "scrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAA+A$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", // bad base64url
        "scrypt$ln=10$r=8$p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
    ])
    func corruptedStoredStringIsRejectedAsMalformed(stored: String) async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        await #expect {
            try await hasher.verify("password1", stored: stored)
        } throws: { error in
            (error as? PasswordHashError)?.code == "malformed_password_hash"
        }
    }

    @Test(arguments: ["ln=30$r=8$p=1", "ln=9$r=8$p=1", "ln=20$r=32$p=1", "ln=17$r=8$p=16", "ln=15$r=1024$p=1", "ln=15$r=8$p=64", "ln=15$r=0$p=1"])
    func absurdParametersAreRejectedWithoutRunningScrypt(parameters: String) async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        let stored = "scrypt$" + parameters + "$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        await #expect(throws: PasswordHashError.self) { try await hasher.verify("password1", stored: stored) }
        #expect(throws: PasswordHashError.unsupportedParameters(String(parameters.replacingOccurrences(of: "$", with: " ")))) {
            try PasswordHash(parsing: stored)
        }
    }

    @Test func unknownUserVerificationAlwaysFailsUsingTheHashersParameters() async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        #expect(await !hasher.verifyUnknownUser("felt-dummy-password"))
        #expect(await !hasher.verifyUnknownUser("anything"))
        #expect(hasher.dummyHash.parameters == hasher.parameters)
        #expect(hasher.dummyHash.hash.count == PasswordHash.hashLength)
    }

    @Test func derivationRunsOnThePasswordHashingQueues() async throws {
        let lane = try await PasswordHasher.run { () throws(PasswordHashError) -> Int? in PasswordHasher.currentLane }
        #expect(lane != nil)
        #expect(PasswordHasher.currentLane == nil, "the test itself is not on a lane")
    }

    @Test func concurrentHashesAndVerificationsAllSucceed() async throws {
        let hasher = try PasswordHasher(parameters: Self.fast)
        let results = try await withThrowingTaskGroup(of: Bool.self) { group in
            for index in 0..<8 {
                group.addTask {
                    let stored = try await hasher.hash("password-\(index)")
                    return try await hasher.verify("password-\(index)", stored: stored)
                }
            }
            return try await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }

    @Test func parameterBoundsAreEnforced() {
        #expect(throws: PasswordHashError.self) { try ScryptParameters(logN: 21, r: 8, p: 1) }
        #expect(throws: PasswordHashError.self) { try ScryptParameters(logN: 19, r: 8, p: 1) }
        #expect((try? ScryptParameters(logN: 18, r: 8, p: 1)) != nil, "256 MiB is the cap")
        #expect(ScryptParameters.standard.maxMemory > 128 * 8 * (1 << 15))
    }
}
