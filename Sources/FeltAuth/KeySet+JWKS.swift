extension KeySet {
    /// The JWK Set document (RFC 7517) publishing this tenant's EdDSA public keys,
    /// active and verify-only, as OKP/Ed25519 JWKs. HS256 secrets are never published.
    ///
    /// `{"keys":[{"kty":"OKP","crv":"Ed25519","x":"…","kid":"…","alg":"EdDSA","use":"sig"}]}`
    public func jwksJSON() -> String {
        var out = "{\"keys\":["
        var first = true
        for key in keys {
            guard let publicKey = key.ed25519PublicKey else { continue }
            if !first { out.append(",") }
            first = false
            out.append("{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"")
            out.append(Base64URL.encode(publicKey))
            out.append("\",\"kid\":")
            CompactJSON.appendString(key.kid, to: &out)
            out.append(",\"alg\":\"EdDSA\",\"use\":\"sig\"}")
        }
        out.append("]}")
        return out
    }
}
