import Testing
@testable import FeltAuth

@Suite struct FeltAuthSmokeTests {
    @Test func moduleLoads() {
        #expect(!String(describing: FeltAuthModule.self).isEmpty)
    }
}
