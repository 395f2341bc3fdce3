import COpenSSL

/// An Ed25519 key held by OpenSSL (`EVP_PKEY`), private or public only.
///
/// `@unchecked Sendable`: the `EVP_PKEY` and the two template contexts are created
/// once in `init`, never mutated afterwards, and freed only in `deinit`. Every
/// operation works on its own `EVP_MD_CTX`, copied from a template (copying only
/// reads the source and takes atomic references), so concurrent use is safe;
/// OpenSSL 3 documents `EVP_PKEY` as shareable between threads when not modified.
final class Ed25519Key: @unchecked Sendable {
    let pkey: OpaquePointer
    /// Contexts already initialised for verifying / signing with `pkey`. Copying one is
    /// much cheaper than `EVP_DigestVerifyInit` (which fetches the algorithm each time).
    private let verifyTemplate: OpaquePointer?
    private let signTemplate: OpaquePointer?
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
        verifyTemplate = Self.template(pkey, sign: false)
        signTemplate = canSign ? Self.template(pkey, sign: true) : nil
    }

    deinit {
        EVP_MD_CTX_free(verifyTemplate)
        EVP_MD_CTX_free(signTemplate)
        EVP_PKEY_free(pkey)
    }

    private static func template(_ pkey: OpaquePointer, sign: Bool) -> OpaquePointer? {
        guard let ctx = EVP_MD_CTX_new() else { return nil }
        let ok = sign ? EVP_DigestSignInit(ctx, nil, nil, nil, pkey) : EVP_DigestVerifyInit(ctx, nil, nil, nil, pkey)
        guard ok == 1 else {
            ERR_clear_error()
            EVP_MD_CTX_free(ctx)
            return nil
        }
        return ctx
    }

    /// A fresh context ready for one operation: a copy of the template, or a new init.
    private func context(sign: Bool) -> OpaquePointer? {
        if let template = sign ? signTemplate : verifyTemplate, let ctx = EVP_MD_CTX_new() {
            if EVP_MD_CTX_copy_ex(ctx, template) == 1 { return ctx }
            ERR_clear_error()
            EVP_MD_CTX_free(ctx)
        }
        return Self.template(pkey, sign: sign)
    }

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
        guard let ctx = context(sign: true) else { throw CryptoError.openSSL("cannot initialise Ed25519 signing") }
        defer { EVP_MD_CTX_free(ctx) }
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
        guard signature.count == 64, let ctx = context(sign: false) else { return false }
        defer { EVP_MD_CTX_free(ctx) }
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
