extension TokenAuthority {
    /// Signs an access token for `subject` with the tenant's active key.
    public func issueAccessToken(subject: String) throws(TokenSigningError) -> IssuedAccessToken {
        let now = nowSeconds
        let jti: [UInt8]
        do { jti = try Crypto.randomBytes(16) } catch { throw .crypto(error) }
        let claims = AccessTokenClaims(subject: subject, issuer: issuer, audience: audience,
                                       issuedAt: now, notBefore: now, expiresAt: now + accessTokenLifetime,
                                       tokenID: Base64URL.encode(jti))
        return IssuedAccessToken(token: try sign(claimsJSON: claims.json), claims: claims)
    }

    /// Signs an arbitrary claim set with the active key (tests and tools build edge cases with it).
    public func sign(claimsJSON: String) throws(TokenSigningError) -> String {
        guard let key = keySet.signingKey else { throw .noActiveKey }
        var header = "{\"alg\":\"\(key.algorithm.rawValue)\",\"typ\":\"JWT\",\"kid\":"
        CompactJSON.appendString(key.kid, to: &header)
        header.append("}")
        let signingInput = Base64URL.encode(header) + "." + Base64URL.encode(claimsJSON)
        let message = Array(signingInput.utf8)
        let signature: [UInt8]
        switch key.material {
        case .secret(let secret):
            signature = Crypto.hmacSHA256(key: secret, message: message)
        case .ed25519(let ed):
            do { signature = try ed.sign(message) } catch { throw .crypto(error) }
        }
        return signingInput + "." + Base64URL.encode(signature)
    }
}
