import Testing
@testable import FeltStore

@Suite struct FeltStoreSmokeTests {
    @Test func moduleLoads() {
        #expect(!String(describing: FeltStoreModule.self).isEmpty)
    }
}
