/// One tenant's JWT keys. Tokens are verified only against the set of the tenant
/// the request's host resolved to, never against another tenant's keys.
public struct KeySet: Sendable {
    /// All keys, in configuration order.
    public let keys: [JWTKey]
    /// The key that signs new tokens: the first `active` key, if any.
    public let signingKey: JWTKey?

    /// Builds a set; `kid`s must be unique and at least one key must be present.
    public init(keys: [JWTKey]) throws(KeyError) {
        guard !keys.isEmpty else { throw KeyError.emptyKeySet }
        var seen = Set<String>()
        for key in keys where !seen.insert(key.kid).inserted {
            throw KeyError.duplicateKid(kid: key.kid)
        }
        self.keys = keys
        self.signingKey = keys.first { $0.state == .active }
    }

    /// The key with identifier `kid` in this set (exact, case-sensitive match).
    public func key(kid: String) -> JWTKey? {
        keys.first { $0.kid == kid }
    }
}
