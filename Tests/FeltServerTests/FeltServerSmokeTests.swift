import Testing
@testable import FeltServer

@Suite struct FeltServerSmokeTests {
    @Test func moduleLoads() {
        #expect(!String(describing: FeltServerModule.self).isEmpty)
    }
}
