extension TokenAuthority {
    /// Verifies an access token presented to this tenant and returns its claims.
    ///
    /// Checks, in order: size (before any parsing), structure and base64url, header
    /// (`alg` not `none`, `typ` if present is `JWT`, no `crit`, `kid` present and in
    /// this tenant's set, `alg` equal to the key's pinned algorithm), signature, then
    /// claims (`typ` = `access`, `iss`, `aud`, `exp`, `nbf`, `iat` with the clock skew).
    public func verifyAccessToken(_ token: String) throws(TokenError) -> AccessTokenClaims {
        guard token.utf8.count <= TokenAuthority.maximumTokenLength else {
            throw TokenError(.oversized, "\(token.utf8.count) bytes")
        }
        let bytes = Array(token.utf8)
        guard let firstDot = bytes.firstIndex(of: UInt8(ascii: ".")),
              let secondDot = bytes[(firstDot + 1)...].firstIndex(of: UInt8(ascii: ".")),
              !bytes[(secondDot + 1)...].contains(UInt8(ascii: ".")),
              firstDot > 0, secondDot > firstDot + 1 else {
            // An empty signature is let through to the header checks (`alg: none` tokens have one).
            throw TokenError(.malformed, "not three segments")
        }
        let (headerBytes, signature) = bytes.withUnsafeBytes { raw in
            (Base64URL.decode(UnsafeRawBufferPointer(rebasing: raw[0..<firstDot])),
             Base64URL.decode(UnsafeRawBufferPointer(rebasing: raw[(secondDot + 1)...])))
        }
        guard let headerBytes, let header = CompactJSON.parse(headerBytes)?.members else {
            throw TokenError(.malformed, "header")
        }
        let key = try headerKey(header)
        guard let signature else { throw TokenError(.malformed, "signature encoding") }
        let valid = bytes.withUnsafeBytes { raw -> Bool in
            let message = UnsafeRawBufferPointer(rebasing: raw[0..<secondDot])
            switch key.material {
            case .secret(let secret):
                let expected = secret.withUnsafeBytes { Crypto.hmacSHA256(key: $0, message: message) }
                return Crypto.constantTimeEqual(expected, signature)
            case .ed25519(let ed):
                return ed.verify(signature: signature, message: message)
            }
        }
        guard valid else { throw TokenError(.badSignature, "kid \(Self.loggable(key.kid))") }
        let payloadBytes = bytes.withUnsafeBytes { raw in
            Base64URL.decode(UnsafeRawBufferPointer(rebasing: raw[(firstDot + 1)..<secondDot]))
        }
        guard let payloadBytes, let payload = CompactJSON.parse(payloadBytes)?.members else {
            throw TokenError(.malformed, "payload")
        }
        return try checkClaims(payload)
    }

    /// The key named by a parsed header, after the `alg`, `typ`, `crit` and `kid` checks.
    private func headerKey(_ header: [(String, CompactJSON.Value)]) throws(TokenError) -> JWTKey {
        var alg: String?
        var kid: String?
        var kidPresent = false
        for (name, value) in header {
            switch name {
            case "alg":
                guard case .string(let text) = value else { throw TokenError(.malformed, "alg is not a string") }
                alg = text
            case "kid":
                kidPresent = true
                if case .string(let text) = value { kid = text }
            case "typ":
                guard case .string(let text) = value, text.uppercased() == "JWT" else {
                    throw TokenError(.badHeaderType)
                }
            case "crit":
                throw TokenError(.malformed, "unsupported crit header")
            default:
                continue
            }
        }
        guard let alg else { throw TokenError(.malformed, "no alg") }
        if alg.lowercased() == "none" { throw TokenError(.algorithmNone) }
        guard let kid else { throw TokenError(.missingKid, kidPresent ? "kid is not a string" : "") }
        // The kid is only ever compared with this tenant's configured key ids.
        guard let key = keySet.key(kid: kid) else { throw TokenError(.unknownKid, Self.loggable(kid)) }
        guard alg == key.algorithm.rawValue else {
            throw TokenError(.algorithmMismatch, "token alg \(Self.loggable(alg)), key \(key.kid) is \(key.algorithm.rawValue)")
        }
        return key
    }

    private func checkClaims(_ payload: [(String, CompactJSON.Value)]) throws(TokenError) -> AccessTokenClaims {
        var sub: String?, iss: String?, jti: String?, typ: String?
        var audiences: [String]?
        var iat: Int64?, nbf: Int64?, exp: Int64?
        for (name, value) in payload {
            switch name {
            case "sub": sub = Self.string(value)
            case "iss": iss = Self.string(value)
            case "jti": jti = Self.string(value)
            case "typ": typ = Self.string(value)
            case "aud":
                if case .string(let one) = value {
                    audiences = [one]
                } else if case .array(let many) = value {
                    let strings = many.compactMap(Self.string)
                    if strings.count == many.count && !strings.isEmpty { audiences = strings }
                }
            case "iat": iat = Self.seconds(value)
            case "nbf": nbf = Self.seconds(value)
            case "exp": exp = Self.seconds(value)
            default: continue
            }
        }
        guard let sub else { throw TokenError(.missingClaim, "sub") }
        guard let iss else { throw TokenError(.missingClaim, "iss") }
        guard let audiences else { throw TokenError(.missingClaim, "aud") }
        guard let iat else { throw TokenError(.missingClaim, "iat") }
        guard let nbf else { throw TokenError(.missingClaim, "nbf") }
        guard let exp else { throw TokenError(.missingClaim, "exp") }
        guard let jti else { throw TokenError(.missingClaim, "jti") }
        guard let typ else { throw TokenError(.missingClaim, "typ") }
        guard typ == AccessTokenClaims.accessType else { throw TokenError(.wrongType, Self.loggable(typ)) }
        guard iss == issuer else { throw TokenError(.wrongIssuer, Self.loggable(iss)) }
        guard audiences.contains(audience) else {
            throw TokenError(.wrongAudience, Self.loggable(audiences.joined(separator: ",")))
        }
        let now = nowSeconds
        guard now < exp.addingReportingOverflow(clockSkew).partialValue || exp > Int64.max - clockSkew else {
            throw TokenError(.expired, "exp \(exp), now \(now)")
        }
        guard nbf <= now + clockSkew else { throw TokenError(.notYetValid, "nbf \(nbf), now \(now)") }
        guard iat <= now + clockSkew else { throw TokenError(.notYetValid, "iat \(iat), now \(now)") }
        return AccessTokenClaims(subject: sub, issuer: iss, audience: audience, issuedAt: iat, notBefore: nbf,
                                 expiresAt: exp, tokenID: jti, type: typ)
    }

    private static func string(_ value: CompactJSON.Value) -> String? {
        if case .string(let text) = value { return text }
        return nil
    }

    /// NumericDate: integer seconds (a fractional value is truncated toward the past).
    private static func seconds(_ value: CompactJSON.Value) -> Int64? {
        switch value {
        case .integer(let n): return n
        case .number(let d) where d.magnitude < 9e15: return Int64(d.rounded(.down))
        default: return nil
        }
    }

    /// Attacker-supplied text made safe for a log line: quoted, escaped, truncated.
    static func loggable(_ text: String) -> String {
        CompactJSON.quoted(String(text.unicodeScalars.prefix(64)))
    }
}
