import Testing
@testable import FeltAuth

/// One test per way a presented access token must be refused (401 `invalid_token`).
@Suite struct TokenRejectionTests {
    let hsKey: JWTKey
    let edKey: JWTKey
    let hs: TokenAuthority
    let ed: TokenAuthority

    init() throws {
        hsKey = try Fixtures.hsKey()
        edKey = try Fixtures.edKey()
        hs = try Fixtures.authority([hsKey])
        ed = try Fixtures.authority([edKey])
    }

    private let hsHeader = #"{"alg":"HS256","typ":"JWT","kid":"hs1"}"#

    @Test func validTokensAreAccepted() throws {
        #expect(Fixtures.rejection(hs, try hs.issueAccessToken(subject: "u").token) == nil)
        #expect(Fixtures.rejection(ed, try ed.issueAccessToken(subject: "u").token) == nil)
        #expect(Fixtures.rejection(hs, try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(), signWith: hsKey)) == nil)
    }

    @Test func algNoneIsRejected() throws {
        let input = Base64URL.encode(#"{"alg":"none","typ":"JWT","kid":"hs1"}"#) + "." + Base64URL.encode(Fixtures.claims())
        #expect(Fixtures.rejection(hs, input + ".") == .algorithmNone)
        #expect(Fixtures.rejection(hs, input + "." + Base64URL.encode("sig")) == .algorithmNone)
        let upper = Base64URL.encode(#"{"alg":"NONE","kid":"hs1"}"#) + "." + Base64URL.encode(Fixtures.claims()) + "."
        #expect(Fixtures.rejection(hs, upper) == .algorithmNone)
    }

    @Test func hs256SignedWithTheEdDSATenantsPublicKeyIsRejected() throws {
        let publicKey = try #require(edKey.ed25519PublicKey)
        let header = #"{"alg":"HS256","typ":"JWT","kid":"ed1"}"#
        let withRawKey = Fixtures.forgeHMAC(header: header, payload: Fixtures.claims(), secret: publicKey)
        #expect(Fixtures.rejection(ed, withRawKey) == .algorithmMismatch)
        // The same attack with the published JWK `x` text and a PEM-looking text as the secret.
        let withJWKText = Fixtures.forgeHMAC(header: header, payload: Fixtures.claims(),
                                             secret: Array(Base64URL.encode(publicKey).utf8))
        #expect(Fixtures.rejection(ed, withJWKText) == .algorithmMismatch)
    }

    @Test func eddsaHeaderOnAnHS256KeyIsRejected() throws {
        let token = try Fixtures.forge(header: #"{"alg":"EdDSA","kid":"hs1"}"#, payload: Fixtures.claims(), signWith: edKey)
        #expect(Fixtures.rejection(hs, token) == .algorithmMismatch)
    }

    @Test func missingKidIsRejected() throws {
        let token = try Fixtures.forge(header: #"{"alg":"HS256","typ":"JWT"}"#, payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, token) == .missingKid)
        let numeric = try Fixtures.forge(header: #"{"alg":"HS256","kid":1}"#, payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, numeric) == .missingKid)
    }

    @Test func unknownKidIsRejected() throws {
        let token = try Fixtures.forge(header: #"{"alg":"HS256","kid":"hs2"}"#, payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, token) == .unknownKid)
        let caseVariant = try Fixtures.forge(header: #"{"alg":"HS256","kid":"HS1"}"#, payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, caseVariant) == .unknownKid)
    }

    @Test(arguments: ["../../../../etc/passwd", "/dev/null", "keys/../hs1", "hs1' OR '1'='1", "hs1\"; DROP TABLE users; --",
                      "hs1\u{0}", "%2e%2e%2fhs1"])
    func kidHoldingPathOrSQLTextIsJustUnknown(kid: String) throws {
        let header = "{\"alg\":\"HS256\",\"typ\":\"JWT\",\"kid\":" + CompactJSON.quoted(kid) + "}"
        // Even signed with the tenant's real secret, such a kid names no key.
        let token = try Fixtures.forge(header: header, payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, token) == .unknownKid)
    }

    @Test func tenantATokenIsRejectedByTenantB() throws {
        let tenantA = try Fixtures.authority([try Fixtures.hsKey("k1", secret: Fixtures.secretA)])
        let token = try tenantA.issueAccessToken(subject: "alice").token
        // Same kid, different secret.
        let sameKidB = try Fixtures.authority([try Fixtures.hsKey("k1", secret: Fixtures.secretB)],
                                              issuer: "https://kings.felt.test", audience: "kings")
        #expect(Fixtures.rejection(sameKidB, token) == .badSignature)
        // Different kids.
        let otherKidB = try Fixtures.authority([try Fixtures.hsKey("k2", secret: Fixtures.secretB)],
                                               issuer: "https://kings.felt.test", audience: "kings")
        #expect(Fixtures.rejection(otherKidB, token) == .unknownKid)
        // Even a misconfigured B sharing A's key refuses A's issuer and audience.
        let sharedKeyB = try Fixtures.authority([try Fixtures.hsKey("k1", secret: Fixtures.secretA)],
                                                issuer: "https://kings.felt.test", audience: "kings")
        #expect(Fixtures.rejection(sharedKeyB, token) == .wrongIssuer)
        let sharedIssuerB = try Fixtures.authority([try Fixtures.hsKey("k1", secret: Fixtures.secretA)],
                                                   issuer: "https://aces.felt.test", audience: "kings")
        #expect(Fixtures.rejection(sharedIssuerB, token) == .wrongAudience)
        // EdDSA tenants with the same kid but their own key pairs.
        let edA = try Fixtures.authority([try Fixtures.edKey("main")])
        let edB = try Fixtures.authority([try Fixtures.edKey("main")])
        #expect(Fixtures.rejection(edB, try edA.issueAccessToken(subject: "alice").token) == .badSignature)
    }

    @Test(arguments: [0, 1, 2])
    func tamperedSegmentIsRejected(segment: Int) throws {
        for authority in [hs, ed] {
            var parts = try authority.issueAccessToken(subject: "alice").token.split(separator: ".").map(String.init)
            switch segment {
            case 0: parts[0] = Base64URL.encode(#"{"alg":"\#(authority.keySet.keys[0].algorithm.rawValue)","typ":"JWT","kid":"\#(authority.keySet.keys[0].kid)","x":1}"#)
            case 1: parts[1] = Base64URL.encode(Fixtures.claims(["sub": "\"admin\""]))
            default:
                var signature = try #require(Base64URL.decode(parts[2]))
                signature[5] ^= 0x01
                parts[2] = Base64URL.encode(signature)
            }
            #expect(Fixtures.rejection(authority, parts.joined(separator: ".")) == .badSignature)
        }
    }

    @Test func truncatedOrExtendedSignatureIsRejected() throws {
        for authority in [hs, ed] {
            let parts = try authority.issueAccessToken(subject: "alice").token.split(separator: ".").map(String.init)
            let signature = try #require(Base64URL.decode(parts[2]))
            let shorter = parts[0] + "." + parts[1] + "." + Base64URL.encode(Array(signature.dropLast()))
            let longer = parts[0] + "." + parts[1] + "." + Base64URL.encode(signature + [0])
            #expect(Fixtures.rejection(authority, shorter) == .badSignature)
            #expect(Fixtures.rejection(authority, longer) == .badSignature)
        }
    }

    @Test func expiredTokenIsRejectedAfterTheClockSkew() throws {
        let clock = ManualClock(Fixtures.now)
        let authority = try Fixtures.authority([hsKey], clock: clock.clock)
        let token = try authority.issueAccessToken(subject: "u").token
        clock.set(Fixtures.now + 900 + 29)
        #expect(Fixtures.rejection(authority, token) == nil, "within the 30 s skew")
        clock.set(Fixtures.now + 900 + 30)
        #expect(Fixtures.rejection(authority, token) == .expired)
        clock.set(Fixtures.now + 86_400)
        #expect(Fixtures.rejection(authority, token) == .expired)
    }

    @Test func notYetValidTokenIsRejectedBeyondTheClockSkew() throws {
        let now = Int64(Fixtures.now)
        let early = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["nbf": "\(now + 31)"]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, early) == .notYetValid)
        let slightlyEarly = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["nbf": "\(now + 30)"]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, slightlyEarly) == nil)
        let issuedInFuture = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["iat": "\(now + 600)"]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, issuedInFuture) == .notYetValid)
    }

    @Test func wrongIssuerIsRejected() throws {
        let token = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["iss": "\"https://kings.felt.test\""]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, token) == .wrongIssuer)
    }

    @Test func wrongAudienceIsRejected() throws {
        let token = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["aud": "\"kings\""]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, token) == .wrongAudience)
        let list = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["aud": #"["kings","queens"]"#]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, list) == .wrongAudience)
        let listWithUs = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["aud": #"["kings","aces"]"#]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, listWithUs) == nil)
    }

    @Test func wrongTokenTypeIsRejected() throws {
        let refresh = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims(["typ": "\"refresh\""]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, refresh) == .wrongType)
        let headerType = try Fixtures.forge(header: #"{"alg":"HS256","typ":"at+jwt","kid":"hs1"}"#,
                                            payload: Fixtures.claims(), signWith: hsKey)
        #expect(Fixtures.rejection(hs, headerType) == .badHeaderType)
    }

    @Test(arguments: ["sub", "iss", "aud", "iat", "nbf", "exp", "jti", "typ"])
    func missingOrMistypedClaimIsRejected(claim: String) throws {
        let missing = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims([claim: String?.none]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, missing) == .missingClaim)
        let mistyped = try Fixtures.forge(header: hsHeader, payload: Fixtures.claims([claim: "{}"]), signWith: hsKey)
        #expect(Fixtures.rejection(hs, mistyped) == .missingClaim)
    }

    @Test func malformedBase64IsRejected() throws {
        let token = try hs.issueAccessToken(subject: "u").token
        let parts = token.split(separator: ".").map(String.init)
        let cases = [
            parts[0] + "+." + parts[1] + "." + parts[2],        // '+' is not base64url
            parts[0] + "." + parts[1] + "==." + parts[2],       // padding
            parts[0] + "." + parts[1] + "." + parts[2] + "=",   // padding on the signature
            parts[0] + "." + parts[1] + "." + parts[2] + "*",
            "A" + parts[0] + "." + parts[1] + "." + parts[2],   // impossible length
            parts[0] + ". " + parts[1] + "." + parts[2],
        ]
        for bad in cases {
            #expect(Fixtures.rejection(hs, bad) == .malformed || Fixtures.rejection(hs, bad) == .badSignature, "\(bad)")
        }
        // Header and signature decoding failures are reported as malformed.
        #expect(Fixtures.rejection(hs, cases[0]) == .malformed)
        #expect(Fixtures.rejection(hs, cases[2]) == .malformed)
        #expect(Fixtures.rejection(hs, cases[4]) == .malformed)
    }

    @Test func malformedStructureAndJSONAreRejected() throws {
        let token = try hs.issueAccessToken(subject: "u").token
        let parts = token.split(separator: ".").map(String.init)
        #expect(Fixtures.rejection(hs, "") == .malformed)
        #expect(Fixtures.rejection(hs, parts[0] + "." + parts[1]) == .malformed)
        #expect(Fixtures.rejection(hs, token + "." + parts[2]) == .malformed)
        #expect(Fixtures.rejection(hs, "." + parts[1] + "." + parts[2]) == .malformed)
        let notJSONHeader = Fixtures.forgeHMAC(header: "not json", payload: Fixtures.claims(), secret: Fixtures.secretA)
        #expect(Fixtures.rejection(hs, notJSONHeader) == .malformed)
        let arrayHeader = Fixtures.forgeHMAC(header: "[\"HS256\"]", payload: Fixtures.claims(), secret: Fixtures.secretA)
        #expect(Fixtures.rejection(hs, arrayHeader) == .malformed)
        let badPayload = Fixtures.forgeHMAC(header: hsHeader, payload: "{\"sub\":", secret: Fixtures.secretA)
        #expect(Fixtures.rejection(hs, badPayload) == .malformed)
        let duplicateExp = Fixtures.forgeHMAC(header: hsHeader, payload: Fixtures.claims(["exp": "1, \"exp\": 9999999999"]),
                                              secret: Fixtures.secretA)
        #expect(Fixtures.rejection(hs, duplicateExp) == .malformed)
        let critical = Fixtures.forgeHMAC(header: #"{"alg":"HS256","kid":"hs1","crit":["exp"]}"#, payload: Fixtures.claims(),
                                          secret: Fixtures.secretA)
        #expect(Fixtures.rejection(hs, critical) == .malformed)
    }

    @Test func oversizedTokenIsRejectedBeforeParsing() throws {
        #expect(Fixtures.rejection(hs, String(repeating: "A", count: 4097)) == .oversized)
        let huge = try Fixtures.forge(header: hsHeader,
                                      payload: Fixtures.claims(["sub": "\"" + String(repeating: "x", count: 4000) + "\""]),
                                      signWith: hsKey)
        #expect(huge.utf8.count > 4096)
        #expect(Fixtures.rejection(hs, huge) == .oversized)
        let fits = try Fixtures.forge(header: hsHeader,
                                      payload: Fixtures.claims(["sub": "\"" + String(repeating: "x", count: 2000) + "\""]),
                                      signWith: hsKey)
        #expect(Fixtures.rejection(hs, fits) == nil)
    }

    @Test func errorDescriptionCarriesReasonForLogsButCodeIsInvalidToken() throws {
        let token = try Fixtures.forge(header: #"{"alg":"HS256","kid":"../etc"}"#, payload: Fixtures.claims(), signWith: hsKey)
        do {
            _ = try hs.verifyAccessToken(token)
            Issue.record("accepted")
        } catch {
            #expect(error.code == "invalid_token")
            #expect(error.description == #"invalid_token (unknown_kid: "../etc")"#)
        }
    }
}
