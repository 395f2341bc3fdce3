import Testing
@testable import FeltAuth

@Suite struct BearerTokenTests {
    @Test func extractsTheTokenOfABearerHeader() {
        #expect(BearerToken.fromAuthorizationHeader("Bearer abc.def.ghi") == "abc.def.ghi")
        #expect(BearerToken.fromAuthorizationHeader("bearer abc.def.ghi ") == "abc.def.ghi")
        #expect(BearerToken.fromAuthorizationHeader("BEARER   abc.def.ghi") == "abc.def.ghi")
    }

    @Test func refusesOtherSchemesAndMalformedHeaders() {
        #expect(BearerToken.fromAuthorizationHeader(nil) == nil)
        #expect(BearerToken.fromAuthorizationHeader("") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Bearer") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Bearer ") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Basic dXNlcjpwYXNz") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Bearer a b") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Bearer a,b") == nil)
        #expect(BearerToken.fromAuthorizationHeader("Bearerabc") == nil)
    }

    @Test func extractsTheTokenQueryParameter() {
        #expect(BearerToken.fromQuery("token=abc.def.ghi") == "abc.def.ghi")
        #expect(BearerToken.fromQuery("table=nl-1&token=abc.def.ghi&x=1") == "abc.def.ghi")
        #expect(BearerToken.fromQuery(nil) == nil)
        #expect(BearerToken.fromQuery("tokens=abc") == nil)
        #expect(BearerToken.fromQuery("token=") == nil)
        #expect(BearerToken.fromQuery("token") == nil)
        #expect(BearerToken.fromQuery("token=a&token=b") == nil)
    }
}
