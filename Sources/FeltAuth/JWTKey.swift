/// A JWT signing algorithm Felt supports.
public enum JWTAlgorithm: String, Sendable, Equatable, CaseIterable {
    /// HMAC with SHA-256 over a shared secret of at least 32 bytes.
    case hs256 = "HS256"
    /// Ed25519 signatures (RFC 8037).
    case edDSA = "EdDSA"
}

/// Whether a key may sign new tokens or only verify existing ones.
public enum JWTKeyState: String, Sendable, Equatable {
    /// Signs new tokens (the first active key of a set is the signing key) and verifies.
    case active
    /// Verifies tokens signed earlier; never signs (key rotation).
    case verifyOnly = "verify_only"
}

/// One key of a tenant's key set: identifier, pinned algorithm, state and material.
public struct JWTKey: Sendable {
    /// Minimum HS256 secret length in bytes.
    public static let minimumSecretLength = 32
    /// Maximum `kid` length accepted in configuration.
    public static let maximumKidLength = 128

    enum Material: Sendable {
        case secret([UInt8])
        case ed25519(Ed25519Key)
    }

    /// The key identifier carried in token headers.
    public let kid: String
    /// The only algorithm this key is used with.
    public let algorithm: JWTAlgorithm
    /// Active (signs) or verify-only.
    public let state: JWTKeyState
    let material: Material

    /// An HS256 key from its secret bytes (at least 32).
    public static func hs256(kid: String, secret: [UInt8], state: JWTKeyState = .active) throws(KeyError) -> JWTKey {
        try validate(kid: kid)
        guard secret.count >= minimumSecretLength else {
            throw KeyError.secretTooShort(kid: kid, length: secret.count)
        }
        return JWTKey(kid: kid, algorithm: .hs256, state: state, material: .secret(secret))
    }

    /// An EdDSA key from an unencrypted Ed25519 PEM: a private key (signs and
    /// verifies; the public key is derived) or, for `verify_only`, a public key.
    public static func edDSA(kid: String, pem: String, state: JWTKeyState = .active) throws(KeyError) -> JWTKey {
        try validate(kid: kid)
        let key = try Ed25519Key.load(pem: pem, kid: kid)
        if state == .active && !key.canSign {
            throw KeyError.publicKeyCannotSign(kid: kid)
        }
        return JWTKey(kid: kid, algorithm: .edDSA, state: state, material: .ed25519(key))
    }

    /// The raw Ed25519 public key (32 bytes) of an EdDSA key; `nil` for HS256.
    public var ed25519PublicKey: [UInt8]? {
        if case .ed25519(let key) = material { return key.publicKey }
        return nil
    }

    private static func validate(kid: String) throws(KeyError) {
        guard !kid.isEmpty, kid.utf8.count <= maximumKidLength else {
            throw KeyError.invalidKid(kid: kid)
        }
    }
}

/// A key or key set that cannot be used; raised when building a tenant's keys.
public enum KeyError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The HS256 secret is shorter than 32 bytes.
    case secretTooShort(kid: String, length: Int)
    /// The key id is empty or longer than 128 bytes.
    case invalidKid(kid: String)
    /// The PEM could not be loaded as an Ed25519 key.
    case invalidKey(kid: String, reason: String)
    /// An `active` EdDSA key was given only a public key.
    case publicKeyCannotSign(kid: String)
    /// Two keys of one set share a `kid`.
    case duplicateKid(kid: String)
    /// The set holds no keys at all.
    case emptyKeySet

    /// Stable error code.
    public var code: String { "invalid_jwt_key" }

    public var description: String {
        switch self {
        case .secretTooShort(let kid, let length):
            return "invalid_jwt_key: key \(kid): HS256 secret has \(length) bytes, at least \(JWTKey.minimumSecretLength) required"
        case .invalidKid(let kid):
            return "invalid_jwt_key: kid \(CompactJSON.quoted(kid)) must be 1–\(JWTKey.maximumKidLength) bytes"
        case .invalidKey(let kid, let reason):
            return "invalid_jwt_key: key \(kid): \(reason)"
        case .publicKeyCannotSign(let kid):
            return "invalid_jwt_key: key \(kid): an active EdDSA key needs a private key (a public key suits verify_only)"
        case .duplicateKid(let kid):
            return "invalid_jwt_key: duplicate kid \(kid)"
        case .emptyKeySet:
            return "invalid_jwt_key: the key set is empty"
        }
    }
}
