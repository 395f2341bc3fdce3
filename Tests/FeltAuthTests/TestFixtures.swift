import Foundation
import Testing
@testable import FeltAuth

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    // @unchecked Sendable: `seconds` is only read and written under `lock`.
    private let lock = NSLock()
    private var seconds: Double

    init(_ seconds: Double) { self.seconds = seconds }

    func advance(by delta: Double) { lock.withLock { seconds += delta } }
    func set(_ value: Double) { lock.withLock { seconds = value } }
    var clock: AuthClock { AuthClock { self.lock.withLock { self.seconds } } }
}

enum Fixtures {
    static let now: Double = 1_800_000_000
    static let secretA = Array("tenant-a-secret-0123456789abcdefXYZ".utf8)
    static let secretB = Array("tenant-b-secret-0123456789abcdefXYZ".utf8)

    static func hsKey(_ kid: String = "hs1", secret: [UInt8] = secretA, state: JWTKeyState = .active) throws -> JWTKey {
        try JWTKey.hs256(kid: kid, secret: secret, state: state)
    }

    static func edKey(_ kid: String = "ed1", state: JWTKeyState = .active) throws -> JWTKey {
        try JWTKey.edDSA(kid: kid, pem: try Ed25519KeyGenerator.generatePEM().privateKeyPEM, state: state)
    }

    static func authority(_ keys: [JWTKey], issuer: String = "https://aces.felt.test", audience: String = "aces",
                          clock: AuthClock = .fixed(now)) throws -> TokenAuthority {
        TokenAuthority(keySet: try KeySet(keys: keys), issuer: issuer, audience: audience, clock: clock)
    }

    /// A claim set as JSON with overrides (`nil` value removes the claim).
    static func claims(_ overrides: [String: String?] = [:], now: Int64 = Int64(Fixtures.now)) -> String {
        var fields: [(String, String?)] = [
            ("sub", "\"user-1\""), ("iss", "\"https://aces.felt.test\""), ("aud", "\"aces\""),
            ("iat", "\(now)"), ("nbf", "\(now)"), ("exp", "\(now + 900)"), ("jti", "\"j-1\""), ("typ", "\"access\""),
        ]
        for (name, value) in overrides {
            if let index = fields.firstIndex(where: { $0.0 == name }) {
                fields[index].1 = value
            } else {
                fields.append((name, value))
            }
        }
        return "{" + fields.compactMap { name, value in value.map { "\"\(name)\":\($0)" } }.joined(separator: ",") + "}"
    }

    /// A token with an arbitrary header and payload, signed by `key` (whatever its algorithm).
    static func forge(header: String, payload: String, signWith key: JWTKey) throws -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        let signature: [UInt8]
        switch key.material {
        case .secret(let secret): signature = Crypto.hmacSHA256(key: secret, message: Array(input.utf8))
        case .ed25519(let ed): signature = try ed.sign(Array(input.utf8))
        }
        return input + "." + Base64URL.encode(signature)
    }

    /// A token HMAC-signed with raw `secret` bytes under an arbitrary header.
    static func forgeHMAC(header: String, payload: String, secret: [UInt8]) -> String {
        let input = Base64URL.encode(header) + "." + Base64URL.encode(payload)
        return input + "." + Base64URL.encode(Crypto.hmacSHA256(key: secret, message: Array(input.utf8)))
    }

    /// The reason a verification failed, or `nil` if it succeeded.
    static func rejection(_ authority: TokenAuthority, _ token: String) -> TokenError.Reason? {
        do {
            _ = try authority.verifyAccessToken(token)
            return nil
        } catch {
            #expect(error.code == "invalid_token")
            return error.reason
        }
    }
}

