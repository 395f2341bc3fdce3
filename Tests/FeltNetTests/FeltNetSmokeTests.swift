import Testing
@testable import FeltNet

@Suite struct FeltNetSmokeTests {
    @Test func moduleLoads() {
        #expect(!String(describing: FeltNetModule.self).isEmpty)
    }
}
