import Testing
@testable import FeltAuth

@Suite struct RefreshTokenTests {
    @Test func tokenIs256RandomBitsInBase64URL() throws {
        let token = try RefreshToken.generate()
        #expect(token.value.utf8.count == 43)
        #expect(Base64URL.decode(token.value)?.count == 32)
        #expect(try RefreshToken.generate() != token)
    }

    @Test func storageHashIsSHA256OfTheClientText() throws {
        let token = try RefreshToken.generate()
        #expect(token.hash == Crypto.sha256(token.value))
        #expect(RefreshToken.hashHex(token.value) == hex(token.hash))
        #expect(RefreshToken.hashHex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func presentedTokensAreValidatedBeforeAnyLookup() throws {
        let token = try RefreshToken.generate()
        #expect(RefreshToken(presented: token.value) == token)
        #expect(RefreshToken(presented: "") == nil)
        #expect(RefreshToken(presented: String(token.value.dropLast())) == nil)
        #expect(RefreshToken(presented: token.value + "A") == nil)
        #expect(RefreshToken(presented: String(repeating: "+", count: 43)) == nil)
        #expect(RefreshToken(presented: String(token.value.dropLast()) + "=") == nil)
    }

    @Test func familyIDsAreRandom() throws {
        let a = try RefreshToken.newFamilyID(), b = try RefreshToken.newFamilyID()
        #expect(a != b && a.utf8.count == 22)
    }

    @Test func refreshDecisionRotatesFreshTokensRevokesFamilyOnReuseAndRejectsTheRest() {
        let fresh = StoredRefreshToken(familyID: "f1", expiresAt: 1000, used: false, familyRevoked: false)
        #expect(RefreshDecision.decide(stored: fresh, now: 999) == .rotate(familyID: "f1"))
        #expect(RefreshDecision.decide(stored: fresh, now: 1000) == .reject(reason: "expired"))
        #expect(RefreshDecision.decide(stored: nil, now: 0) == .reject(reason: "unknown"))
        var used = fresh
        used.used = true
        #expect(RefreshDecision.decide(stored: used, now: 10) == .reuseDetected(familyID: "f1"))
        #expect(RefreshDecision.decide(stored: used, now: 5000) == .reuseDetected(familyID: "f1"))
        var revoked = used
        revoked.familyRevoked = true
        #expect(RefreshDecision.decide(stored: revoked, now: 10) == .reject(reason: "revoked"))
    }
}
