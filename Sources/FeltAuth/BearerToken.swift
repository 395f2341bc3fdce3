/// Extraction of the access token a client presents, from an HTTP `Authorization`
/// header (`Bearer <token>`) or a WebSocket upgrade URL query (`?token=<token>`).
///
/// Only extraction: the result still goes through `TokenAuthority.verifyAccessToken`.
public enum BearerToken {
    /// The token of an `Authorization: Bearer <token>` header value; `nil` when the
    /// header is absent, uses another scheme, or the token is empty or holds spaces.
    /// The scheme name is case-insensitive (RFC 9110 §11.1).
    public static func fromAuthorizationHeader(_ value: String?) -> String? {
        guard let value else { return nil }
        let trimmed = value.drop { $0 == " " || $0 == "\t" }
        guard trimmed.count > 7, trimmed.prefix(7).lowercased() == "bearer " else { return nil }
        let token = trimmed.dropFirst(7).drop { $0 == " " }.reversed().drop { $0 == " " || $0 == "\t" }.reversed()
        let text = String(token)
        guard !text.isEmpty, !text.contains(where: { $0 == " " || $0 == "\t" || $0 == "," }) else { return nil }
        return text
    }

    /// The value of the `token` parameter of a URL query string (without the `?`), as
    /// the client guide's WebSocket URL carries it; `nil` when absent, empty or repeated.
    /// Tokens are base64url and dots, so no percent-decoding is needed; an encoded
    /// value is returned as is and then fails verification.
    public static func fromQuery(_ query: String?) -> String? {
        guard let query else { return nil }
        var found: String?
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.first == "token" else { continue }
            if found != nil { return nil } // ambiguous: two tokens
            found = parts.count == 2 ? String(parts[1]) : ""
        }
        guard let found, !found.isEmpty else { return nil }
        return found
    }
}
