import FeltTestSupport
import Foundation
import Testing
@testable import FeltAuth

@Suite struct TokenIssuanceTests {
    private func header(of token: String) -> [String: String] {
        let segment = String(token.split(separator: ".")[0])
        let data = Data(Base64URL.decode(segment) ?? [])
        return (try? JSONSerialization.jsonObject(with: data)) as? [String: String] ?? [:]
    }

    @Test func hs256TokenCarriesHeaderAndClaimsAndVerifies() async throws {
        let authority = try Fixtures.authority([try Fixtures.hsKey()])
        let issued = try authority.issueAccessToken(subject: "user-42")
        #expect(header(of: issued.token) == ["alg": "HS256", "typ": "JWT", "kid": "hs1"])
        let claims = try authority.verifyAccessToken(issued.token)
        #expect(claims == issued.claims)
        #expect(claims.subject == "user-42")
        #expect(claims.issuer == "https://aces.felt.test")
        #expect(claims.audience == "aces")
        #expect(claims.issuedAt == Int64(Fixtures.now) && claims.notBefore == claims.issuedAt)
        #expect(claims.expiresAt == Int64(Fixtures.now) + 900)
        #expect(claims.type == "access")
        #expect(claims.tokenID.count == 22)
    }

    @Test func eddsaTokenCarriesHeaderAndVerifies() async throws {
        let authority = try Fixtures.authority([try Fixtures.edKey()])
        let issued = try authority.issueAccessToken(subject: "user-7")
        #expect(header(of: issued.token) == ["alg": "EdDSA", "typ": "JWT", "kid": "ed1"])
        #expect(try authority.verifyAccessToken(issued.token).subject == "user-7")
        let signature = Base64URL.decode(String(issued.token.split(separator: ".")[2]))
        #expect(signature?.count == 64)
    }

    @Test func eachTokenGetsAFreshJTI() async throws {
        let authority = try Fixtures.authority([try Fixtures.hsKey()])
        let ids = try (0..<20).map { _ in try authority.issueAccessToken(subject: "u").claims.tokenID }
        #expect(Set(ids).count == 20)
    }

    @Test func subjectWithQuotesAndUnicodeSurvivesTheRoundTrip() async throws {
        let authority = try Fixtures.authority([try Fixtures.hsKey()])
        let subject = "we\"ird\\ sübject\n🂡"
        #expect(try authority.verifyAccessToken(try authority.issueAccessToken(subject: subject).token).subject == subject)
    }

    @Test func firstActiveKeySignsAndVerifyOnlyKeysNeverSign() async throws {
        let old = try Fixtures.hsKey("old", state: .verifyOnly)
        let first = try Fixtures.hsKey("new1", secret: Fixtures.secretB)
        let second = try Fixtures.edKey("new2")
        let authority = try Fixtures.authority([old, first, second])
        #expect(authority.keySet.signingKey?.kid == "new1")
        #expect(header(of: try authority.issueAccessToken(subject: "u").token)["kid"] == "new1")
    }

    @Test func verifyOnlyKeyStillVerifiesTokensItSignedBefore() async throws {
        let before = try Fixtures.authority([try Fixtures.hsKey("2025")])
        let token = try before.issueAccessToken(subject: "u").token
        let after = try Fixtures.authority([try Fixtures.hsKey("2025", state: .verifyOnly),
                                            try Fixtures.hsKey("2026", secret: Fixtures.secretB)])
        #expect(try after.verifyAccessToken(token).subject == "u")
        #expect(header(of: try after.issueAccessToken(subject: "u").token)["kid"] == "2026")
    }

    @Test func publicKeyOnlyPEMVerifiesAsVerifyOnly() async throws {
        let pems = try Ed25519KeyGenerator.generatePEM()
        let signer = try Fixtures.authority([try JWTKey.edDSA(kid: "ed1", pem: pems.privateKeyPEM)])
        let verifier = try Fixtures.authority([try JWTKey.edDSA(kid: "ed1", pem: pems.publicKeyPEM, state: .verifyOnly)])
        let token = try signer.issueAccessToken(subject: "u").token
        #expect(try verifier.verifyAccessToken(token).subject == "u")
        #expect(throws: TokenSigningError.noActiveKey) { try verifier.issueAccessToken(subject: "u") }
    }

    @Test func derivedPublicKeyEqualsThePublicPEM() async throws {
        let pems = try Ed25519KeyGenerator.generatePEM()
        let full = try JWTKey.edDSA(kid: "a", pem: pems.privateKeyPEM)
        let pub = try JWTKey.edDSA(kid: "b", pem: pems.publicKeyPEM, state: .verifyOnly)
        #expect(full.ed25519PublicKey?.count == 32)
        #expect(full.ed25519PublicKey == pub.ed25519PublicKey)
    }
}

@Suite struct KeySetValidationTests {
    @Test func hs256SecretShorterThan32BytesIsRejected() {
        #expect(throws: KeyError.secretTooShort(kid: "k", length: 31)) {
            try JWTKey.hs256(kid: "k", secret: [UInt8](repeating: 1, count: 31))
        }
        #expect((try? JWTKey.hs256(kid: "k", secret: [UInt8](repeating: 1, count: 32))) != nil)
    }

    @Test func duplicateKidsAndEmptySetsAreRejected() async throws {
        let key = try Fixtures.hsKey("same")
        #expect(throws: KeyError.duplicateKid(kid: "same")) { try KeySet(keys: [key, try Fixtures.edKey("same")]) }
        #expect(throws: KeyError.emptyKeySet) { try KeySet(keys: []) }
        #expect(throws: KeyError.invalidKid(kid: "")) { try Fixtures.hsKey("") }
    }

    @Test func activeEdDSAKeyNeedsAPrivateKey() async throws {
        let pems = try Ed25519KeyGenerator.generatePEM()
        #expect(throws: KeyError.publicKeyCannotSign(kid: "ed")) { try JWTKey.edDSA(kid: "ed", pem: pems.publicKeyPEM) }
    }

    @Test func garbageAndNonEd25519AndEncryptedPEMsAreRejected() async throws {
        func reason(_ pem: String) -> String? {
            do {
                _ = try JWTKey.edDSA(kid: "k", pem: pem)
                return nil
            } catch {
                if case .invalidKey(_, let why) = error { return why }
                return "\(error)"
            }
        }
        #expect(reason("") == "empty or oversized PEM")
        #expect(reason("-----BEGIN PRIVATE KEY-----\nnot base64!\n-----END PRIVATE KEY-----\n")
                == "not an unencrypted PEM private or public key")
        let ec = try await runOpenSSL(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"])
        #expect(reason(ec) == "the PEM key is not an Ed25519 key")
        // An encrypted key must fail at once, never prompt for a passphrase.
        let encrypted = try await runOpenSSL(["genpkey", "-algorithm", "ed25519", "-aes-256-cbc", "-pass", "pass:secret"])
        #expect(encrypted.contains("ENCRYPTED PRIVATE KEY"))
        #expect(reason(encrypted) == "not an unencrypted PEM private or public key")
    }

    private func runOpenSSL(_ arguments: [String]) async throws -> String {
        let result = try await runProcess("openssl", arguments, timeout: 30)
        #expect(result.status == 0, "openssl: \(result.stderr)")
        return result.stdout
    }
}

@Suite struct TokenConcurrencyTests {
    @Test func oneAuthoritySignsAndVerifiesFromManyThreadsAtOnce() async throws {
        let authority = try Fixtures.authority([try Fixtures.edKey(), try Fixtures.hsKey(state: .verifyOnly)])
        let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var accepted = 0, rejected = 0
                    for index in 0..<50 {
                        let token = try authority.issueAccessToken(subject: "u\(worker)-\(index)").token
                        if (try? authority.verifyAccessToken(token))?.subject == "u\(worker)-\(index)" { accepted += 1 }
                        if Fixtures.rejection(authority, token.dropLast(2) + (token.hasSuffix("AA") ? "BA" : "AA")) != nil { rejected += 1 }
                    }
                    return (accepted, rejected)
                }
            }
            return try await group.reduce(into: (0, 0)) { $0.0 += $1.0; $0.1 += $1.1 }
        }
        #expect(outcomes.0 == 400)
        #expect(outcomes.1 == 400)
    }
}
