import FeltTestSupport
import Foundation
import Testing
@testable import FeltAuth

@Suite struct JWKSTests {
    private func parsedKeys(_ json: String) throws -> [[String: String]] {
        let object = try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any]
        return try #require(object?["keys"] as? [[String: String]])
    }

    @Test func publishesEdDSAPublicKeysActiveAndVerifyOnlyButNeverSecrets() async throws {
        let active = try Fixtures.edKey("ed-2026")
        let pems = try Ed25519KeyGenerator.generatePEM()
        let retired = try JWTKey.edDSA(kid: "ed-2025", pem: pems.publicKeyPEM, state: .verifyOnly)
        let hmac = try Fixtures.hsKey("hs-legacy", state: .verifyOnly)
        let keySet = try KeySet(keys: [active, hmac, retired])
        let json = keySet.jwksJSON()
        let keys = try parsedKeys(json)
        #expect(keys.map { $0["kid"] } == ["ed-2026", "ed-2025"])
        for (jwk, key) in zip(keys, [active, retired]) {
            #expect(jwk["kty"] == "OKP" && jwk["crv"] == "Ed25519" && jwk["alg"] == "EdDSA" && jwk["use"] == "sig")
            #expect(Set(jwk.keys) == ["kty", "crv", "x", "kid", "alg", "use"], "no private `d` member")
            #expect(Base64URL.decode(jwk["x"] ?? "") == key.ed25519PublicKey)
        }
        #expect(!json.contains(Base64URL.encode(Fixtures.secretA)))
        #expect(!json.contains("hs-legacy"))
    }

    @Test func hs256OnlyTenantPublishesAnEmptySet() async throws {
        #expect(try KeySet(keys: [try Fixtures.hsKey()]).jwksJSON() == #"{"keys":[]}"#)
    }

    @Test func pyjwtVerifiesFeltEdDSATokenWithTheJWKS() async throws {
        let retired = try Fixtures.edKey("ed-old", state: .verifyOnly)
        let authority = TokenAuthority(keySet: try KeySet(keys: [try Fixtures.edKey("ed-new"), retired]),
                                       issuer: "https://aces.felt.test", audience: "aces")
        let issued = try authority.issueAccessToken(subject: "user-99")
        let result = try await runPyJWT(jwks: authority.keySet.jwksJSON(), token: issued.token)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        let claims = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        #expect(claims?["sub"] as? String == "user-99")
        #expect(claims?["jti"] as? String == issued.claims.tokenID)
        #expect((claims?["exp"] as? NSNumber)?.int64Value == issued.claims.expiresAt)
    }

    @Test func pyjwtRejectsATamperedFeltToken() async throws {
        let authority = TokenAuthority(keySet: try KeySet(keys: [try Fixtures.edKey("ed-new")]),
                                       issuer: "https://aces.felt.test", audience: "aces")
        var parts = try authority.issueAccessToken(subject: "user-99").token.split(separator: ".").map(String.init)
        parts[1] = Base64URL.encode(Fixtures.claims(["sub": "\"admin\""], now: Int64(Date().timeIntervalSince1970)))
        let result = try await runPyJWT(jwks: authority.keySet.jwksJSON(), token: parts.joined(separator: "."))
        #expect(result.status == 1)
        #expect(result.stdout.contains("InvalidSignatureError"), "\(result.stdout) \(result.stderr)")
    }

    @Test(arguments: [JWTAlgorithm.edDSA, .hs256])
    func feltVerifiesATokenSignedByPyJWT(algorithm: JWTAlgorithm) async throws {
        let pems = try Ed25519KeyGenerator.generatePEM()
        let secret = "pyjwt-shared-secret-0123456789abcdef"
        let key = algorithm == .edDSA
            ? try JWTKey.edDSA(kid: "py", pem: pems.publicKeyPEM, state: .verifyOnly)
            : try JWTKey.hs256(kid: "py", secret: Array(secret.utf8))
        let now = Int64(Date().timeIntervalSince1970)
        let authority = TokenAuthority(keySet: try KeySet(keys: [key]), issuer: "https://aces.felt.test", audience: "aces")
        let script = TestEnvironment.pythonTests.appendingPathComponent("jwt_pyjwt.py").path
        let keyText = algorithm == .edDSA ? pems.privateKeyPEM : secret
        let input = "{\"key\":" + CompactJSON.quoted(keyText) + ",\"claims\":" + Fixtures.claims(["sub": "\"py-user\""], now: now) + "}"
        let result = try await runProcess("python3", [script, "--sign", algorithm.rawValue, "py"], input: input, timeout: 60)
        #expect(result.status == 0, "\(result.stderr)")
        let token = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try authority.verifyAccessToken(token).subject == "py-user")
    }

    private func runPyJWT(jwks: String, token: String) async throws -> ProcessResult {
        let script = TestEnvironment.pythonTests.appendingPathComponent("jwt_pyjwt.py").path
        let input = "{\"jwks\":" + jwks + ",\"token\":" + CompactJSON.quoted(token) + "}"
        return try await runProcess("python3", [script, "https://aces.felt.test", "aces"], input: input, timeout: 60)
    }
}
