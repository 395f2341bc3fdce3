import FeltTestSupport
import Foundation
import Testing
@testable import FeltStore

@Suite struct TokenStoreTests {
    private func hash(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: 32) }

    @Test func refreshTokensRotateAndReuseRevokesTheFamily() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let user = try await fixture.store.createUser(tenant: aces, username: "rita", email: nil, passwordHash: "h", startingBalance: 0)
        let family = UUID()
        let later = Date().addingTimeInterval(3600)
        try await fixture.store.storeRefreshToken(tenant: aces, tokenHash: hash(1), familyID: family, userID: user.id, expiresAt: later)
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(1), newHash: hash(2), newExpiresAt: later)
                == .rotated(userID: user.id, familyID: family))
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(2), newHash: hash(3), newExpiresAt: later)
                == .rotated(userID: user.id, familyID: family))
        // Presenting the already-used first token again: theft suspected, family revoked.
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(1), newHash: hash(4), newExpiresAt: later)
                == .reuseDetected(userID: user.id, familyID: family))
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(3), newHash: hash(5), newExpiresAt: later)
                == .revoked)
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(9), newHash: hash(6), newExpiresAt: later)
                == .notFound)
        #expect(try await fixture.count("SELECT count(*) AS c FROM tenant_aces.refresh_tokens WHERE revoked_at IS NULL") == 0)
    }

    @Test func expiredRefreshTokensAreRefusedAndLogoutRevokesTheFamily() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        let user = try await fixture.store.createUser(tenant: aces, username: "otto", email: nil, passwordHash: "h", startingBalance: 0)
        let now = Date()
        try await fixture.store.storeRefreshToken(tenant: aces, tokenHash: hash(7), familyID: UUID(), userID: user.id,
                                                  expiresAt: now.addingTimeInterval(-1))
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(7), newHash: hash(8),
                                                           newExpiresAt: now.addingTimeInterval(60)) == .expired)
        let family = UUID()
        try await fixture.store.storeRefreshToken(tenant: aces, tokenHash: hash(10), familyID: family, userID: user.id,
                                                  expiresAt: now.addingTimeInterval(60))
        #expect(try await fixture.store.revokeRefreshFamily(tenant: aces, containing: hash(10)) == family)
        #expect(try await fixture.store.rotateRefreshToken(tenant: aces, presentedHash: hash(10), newHash: hash(11),
                                                           newExpiresAt: now.addingTimeInterval(60)) == .revoked)
        #expect(try await fixture.store.revokeRefreshFamily(tenant: aces, containing: hash(99)) == nil)
    }

    @Test func revokedAccessTokenIdsAreRememberedUntilTheyExpire() async throws {
        let fixture = try await MigratedStore.make()
        defer { fixture.pool.close() }
        let aces = fixture.schemas[0]
        try await fixture.store.revokeAccessToken(tenant: aces, jti: "jti-1", userID: nil, expiresAt: Date().addingTimeInterval(-5))
        try await fixture.store.revokeAccessToken(tenant: aces, jti: "jti-2", userID: nil, expiresAt: Date().addingTimeInterval(600))
        try await fixture.store.revokeAccessToken(tenant: aces, jti: "jti-2", userID: nil, expiresAt: Date().addingTimeInterval(600))
        #expect(try await fixture.store.isAccessTokenRevoked(tenant: aces, jti: "jti-1"))
        #expect(try await fixture.store.isAccessTokenRevoked(tenant: aces, jti: "jti-2"))
        #expect(try await fixture.store.isAccessTokenRevoked(tenant: aces, jti: "jti-3") == false)
        #expect(try await fixture.store.purgeExpiredTokens(tenant: aces) == 1)
        #expect(try await fixture.store.isAccessTokenRevoked(tenant: aces, jti: "jti-1") == false)
        #expect(try await fixture.store.isAccessTokenRevoked(tenant: aces, jti: "jti-2"))
    }
}
