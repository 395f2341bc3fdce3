import COpenSSL

/// A stored scrypt password hash, self-describing:
/// `scrypt$ln=15$r=8$p=1$<salt base64url>$<hash base64url>`.
public struct PasswordHash: Sendable, Equatable {
    /// Salt length used for new hashes.
    public static let saltLength = 16
    /// Derived key length used for new hashes.
    public static let hashLength = 32
    /// Accepted salt and hash lengths when reading.
    static let byteRange = 16...64
    /// Longest stored string accepted.
    static let maximumEncodedLength = 256

    /// The cost parameters the hash was made with.
    public let parameters: ScryptParameters
    /// The random salt.
    public let salt: [UInt8]
    /// The derived key.
    public let hash: [UInt8]

    /// A hash from its parts.
    public init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Parses a stored string; every deviation from the format is `.malformed`,
    /// parameters outside the bounds are `.unsupportedParameters`.
    public init(parsing encoded: String) throws(PasswordHashError) {
        guard encoded.utf8.count <= Self.maximumEncodedLength else { throw .malformed("too long") }
        let parts = encoded.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "scrypt" else { throw .malformed("expected scrypt$ln=…$r=…$p=…$salt$hash") }
        func number(_ part: Substring, _ name: String) throws(PasswordHashError) -> Int {
            let prefix = name + "="
            guard part.hasPrefix(prefix) else { throw .malformed("expected \(name)=") }
            let digits = part.dropFirst(prefix.count)
            guard !digits.isEmpty, digits.count <= 6, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
                  !(digits.count > 1 && digits.first == "0"), let value = Int(digits) else {
                throw .malformed("\(name) is not a number")
            }
            return value
        }
        let parameters = try ScryptParameters(logN: try number(parts[1], "ln"), r: try number(parts[2], "r"),
                                              p: try number(parts[3], "p"))
        guard let salt = Base64URL.decode(String(parts[4])), Self.byteRange.contains(salt.count) else {
            throw .malformed("bad salt")
        }
        guard let hash = Base64URL.decode(String(parts[5])), Self.byteRange.contains(hash.count) else {
            throw .malformed("bad hash")
        }
        self.init(parameters: parameters, salt: salt, hash: hash)
    }

    /// The stored form.
    public var encoded: String {
        "scrypt$ln=\(parameters.logN)$r=\(parameters.r)$p=\(parameters.p)$\(Base64URL.encode(salt))$\(Base64URL.encode(hash))"
    }

    /// scrypt of `password` with this hash's salt and parameters (synchronous; blocks for the full cost).
    static func derive(password: String, salt: [UInt8], parameters: ScryptParameters,
                       length: Int) throws(PasswordHashError) -> [UInt8] {
        var key = [UInt8](repeating: 0, count: length)
        var pass = Array(password.utf8)
        let passLength = pass.count
        if pass.isEmpty { pass = [0] } // a valid pointer; the length stays 0
        let ok = pass.withUnsafeBufferPointer { pw in
            pw.withMemoryRebound(to: CChar.self) { chars in
                salt.withUnsafeBufferPointer { s in
                    key.withUnsafeMutableBufferPointer { out in
                        EVP_PBE_scrypt(chars.baseAddress, passLength, s.baseAddress, s.count, parameters.n,
                                       UInt64(parameters.r), UInt64(parameters.p), parameters.maxMemory,
                                       out.baseAddress, length)
                    }
                }
            }
        }
        guard ok == 1 else { throw .crypto("EVP_PBE_scrypt: " + Crypto.lastOpenSSLError()) }
        return key
    }

    /// Whether `password` matches, comparing the derived keys in constant time.
    func matches(_ password: String) throws(PasswordHashError) -> Bool {
        let derived = try Self.derive(password: password, salt: salt, parameters: parameters, length: hash.count)
        return Crypto.constantTimeEqual(derived, hash)
    }
}
