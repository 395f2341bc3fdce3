import Synchronization

/// The `jti`s of one tenant's access tokens revoked by logout, kept in memory until the
/// tokens would have expired anyway, so that authenticating a request needs no query.
///
/// The process is the only writer of the tenant's `revoked_access_tokens` table: each
/// revocation is written there first and then added here, and the set is loaded from the
/// table at start-up, so memory and table agree. Expired entries are pruned as new ones
/// arrive, which bounds memory by the number of logouts within one access-token lifetime.
public final class RevokedAccessTokens: Sendable {
    private struct State {
        var expiries: [String: Int64] = [:]
        var insertsSincePrune = 0
    }

    private let state = Mutex(State())

    /// An empty set.
    public init() {}

    /// Records that `jti` is revoked until `expiresAt` (epoch seconds).
    public func insert(_ jti: String, expiresAt: Int64, now: Int64) {
        state.withLock { state in
            state.expiries[jti] = expiresAt
            state.insertsSincePrune += 1
            if state.insertsSincePrune >= 1024 {
                state.insertsSincePrune = 0
                state.expiries = state.expiries.filter { $0.value > now }
            }
        }
    }

    /// Whether `jti` was revoked.
    public func contains(_ jti: String) -> Bool {
        state.withLock { $0.expiries[jti] != nil }
    }

    /// Number of entries held.
    public var count: Int { state.withLock { $0.expiries.count } }
}
