import COpenSSL

/// An Ed25519 key held by OpenSSL (`EVP_PKEY`), private or public only.
///
/// `@unchecked Sendable`: the `EVP_PKEY` is created once in `init`, never mutated
/// afterwards, and freed only in `deinit`. OpenSSL 3 allows one `EVP_PKEY` to be
/// used concurrently by many threads for signing and verification (each operation
/// gets its own `EVP_MD_CTX`; the provider-side key cache is internally locked).
final class Ed25519Key: @unchecked Sendable {
    let pkey: OpaquePointer
    /// Whether the key holds a private part (can sign).
    let canSign: Bool
    /// The raw 32-byte public key (the JWK `x` value).
    let publicKey: [UInt8]

    private init(pkey: OpaquePointer, canSign: Bool) throws(KeyError) {
        self.pkey = pkey
        self.canSign = canSign
        var length = 32
        var raw = [UInt8](repeating: 0, count: 32)
        let ok = raw.withUnsafeMutableBufferPointer { EVP_PKEY_get_raw_public_key(pkey, $0.baseAddress, &length) }
        guard ok == 1, length == 32 else {
            EVP_PKEY_free(pkey)
            throw KeyError.invalidKey(kid: "", reason: "cannot read the Ed25519 public key")
        }
        publicKey = raw
    }

    deinit { EVP_PKEY_free(pkey) }

    /// Loads an unencrypted PEM: a private key (`PRIVATE KEY`) or a public key (`PUBLIC KEY`).
    /// Anything else, an encrypted key, or a key of another type is rejected.
    static func load(pem: String, kid: String) throws(KeyError) -> Ed25519Key {
        let bytes = Array(pem.utf8)
        guard !bytes.isEmpty, bytes.count < 64 * 1024 else {
            throw KeyError.invalidKey(kid: kid, reason: "empty or oversized PEM")
        }
        func read(_ body: (OpaquePointer) -> OpaquePointer?) -> OpaquePointer? {
            bytes.withUnsafeBytes { raw -> OpaquePointer? in
                guard let bio = BIO_new_mem_buf(raw.baseAddress, Int32(raw.count)) else { return nil }
                defer { BIO_free(bio) }
                return body(bio)
            }
        }
        var canSign = true
        var loaded = read { PEM_read_bio_PrivateKey($0, nil, { _, _, _, _ in 0 }, nil) }
        if loaded == nil {
            ERR_clear_error()
            canSign = false
            loaded = read { PEM_read_bio_PUBKEY($0, nil, { _, _, _, _ in 0 }, nil) }
        }
        guard let pkey = loaded else {
            ERR_clear_error()
            throw KeyError.invalidKey(kid: kid, reason: "not an unencrypted PEM private or public key")
        }
        guard EVP_PKEY_get_id(pkey) == EVP_PKEY_ED25519 else {
            EVP_PKEY_free(pkey)
            throw KeyError.invalidKey(kid: kid, reason: "the PEM key is not an Ed25519 key")
        }
        do {
            return try Ed25519Key(pkey: pkey, canSign: canSign)
        } catch {
            throw KeyError.invalidKey(kid: kid, reason: "cannot read the Ed25519 public key")
        }
    }

    /// Ed25519 signature (64 bytes) of `message`.
    func sign(_ message: [UInt8]) throws(CryptoError) -> [UInt8] {
        guard let ctx = EVP_MD_CTX_new() else { throw CryptoError.openSSL("EVP_MD_CTX_new failed") }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestSignInit(ctx, nil, nil, nil, pkey) == 1 else {
            throw CryptoError.openSSL(Crypto.lastOpenSSLError())
        }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = 64
        let ok = signature.withUnsafeMutableBufferPointer { sig in
            message.withUnsafeBufferPointer { msg in
                EVP_DigestSign(ctx, sig.baseAddress, &length, msg.baseAddress ?? Crypto.emptyByte, msg.count)
            }
        }
        guard ok == 1, length == 64 else { throw CryptoError.openSSL(Crypto.lastOpenSSLError()) }
        return signature
    }

    /// Whether `signature` is a valid Ed25519 signature of `message` under this key.
    func verify(signature: [UInt8], message: UnsafeRawBufferPointer) -> Bool {
        guard signature.count == 64, let ctx = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(ctx) }
        guard EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey) == 1 else {
            ERR_clear_error()
            return false
        }
        let ok = signature.withUnsafeBufferPointer { sig in
            EVP_DigestVerify(ctx, sig.baseAddress, 64,
                             message.baseAddress?.assumingMemoryBound(to: UInt8.self) ?? Crypto.emptyByte, message.count)
        }
        if ok != 1 { ERR_clear_error() }
        return ok == 1
    }

    /// PEM text of the public key (`-----BEGIN PUBLIC KEY-----`).
    func publicKeyPEM() throws(CryptoError) -> String {
        try Ed25519Key.writePEM { PEM_write_bio_PUBKEY($0, pkey) }
    }

    static func writePEM(_ write: (OpaquePointer) -> Int32) throws(CryptoError) -> String {
        guard let bio = BIO_new(BIO_s_mem()) else { throw CryptoError.openSSL("BIO_new failed") }
        defer { BIO_free(bio) }
        guard write(bio) == 1 else { throw CryptoError.openSSL(Crypto.lastOpenSSLError()) }
        var pointer: UnsafeMutablePointer<CChar>?
        let length = felt_BIO_get_mem_data(bio, &pointer)
        guard length > 0, let pointer else { throw CryptoError.openSSL("empty PEM output") }
        return pointer.withMemoryRebound(to: UInt8.self, capacity: length) {
            String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
        }
    }
}

/// Generation of fresh Ed25519 keys (for development set-ups, tools and tests).
public enum Ed25519KeyGenerator {
    /// A new Ed25519 key pair as PEM texts: PKCS#8 private key and SPKI public key.
    public static func generatePEM() throws(CryptoError) -> (privateKeyPEM: String, publicKeyPEM: String) {
        guard let ctx = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else {
            throw CryptoError.openSSL(Crypto.lastOpenSSLError())
        }
        defer { EVP_PKEY_CTX_free(ctx) }
        var pkey: OpaquePointer?
        guard EVP_PKEY_keygen_init(ctx) == 1, EVP_PKEY_keygen(ctx, &pkey) == 1, let pkey else {
            throw CryptoError.openSSL(Crypto.lastOpenSSLError())
        }
        defer { EVP_PKEY_free(pkey) }
        let privatePEM = try Ed25519Key.writePEM { PEM_write_bio_PrivateKey($0, pkey, nil, nil, 0, nil, nil) }
        let publicPEM = try Ed25519Key.writePEM { PEM_write_bio_PUBKEY($0, pkey) }
        return (privatePEM, publicPEM)
    }
}
