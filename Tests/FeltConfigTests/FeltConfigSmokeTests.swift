import Testing
@testable import FeltConfig

@Suite struct FeltConfigSmokeTests {
    @Test func moduleLoads() {
        #expect(!String(describing: FeltConfigModule.self).isEmpty)
    }
}
