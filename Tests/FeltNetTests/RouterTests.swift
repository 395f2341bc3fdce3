import Testing
@testable import FeltNet

@Suite struct RouterTests {
    static func router() -> Router {
        var router = Router()
        router.get("/api/tables") { _, _ in .text("list") }
        router.get("/api/tables/{id}") { _, _ in .text("one") }
        router.post("/api/tables/{id}/join") { _, _ in .text("join") }
        router.delete("/api/tables/{id}/join") { _, _ in .text("leave") }
        router.webSocket("/ws/table/{id}") { _, _ in .refuse(.empty()) }
        return router
    }

    @Test func capturesPercentDecodedParameters() {
        guard case .found(.http, let parameters) = RouterTests.router().match(method: .post, path: "/api/tables/nl%2010/join") else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["id": "nl 10"])
    }

    @Test func unknownPathIsNotFoundAndWrongMethodListsAllowed() {
        let router = RouterTests.router()
        guard case .notFound = router.match(method: .get, path: "/api/nothing") else { Issue.record("expected 404"); return }
        guard case .notFound = router.match(method: .get, path: "/api/tables/1/join/extra") else { Issue.record("expected 404"); return }
        guard case .methodNotAllowed(let allow) = router.match(method: .get, path: "/api/tables/1/join") else {
            Issue.record("expected 405")
            return
        }
        #expect(allow == ["POST", "DELETE"])
        guard case .methodNotAllowed(let allowGet) = router.match(method: .put, path: "/api/tables") else {
            Issue.record("expected 405")
            return
        }
        #expect(allowGet == ["GET", "HEAD"])
    }

    @Test func headFallsBackToGetAndWebSocketRoutesMatchGet() {
        let router = RouterTests.router()
        guard case .found(.http, _) = router.match(method: .head, path: "/api/tables") else { Issue.record("HEAD"); return }
        guard case .found(.webSocket, let parameters) = router.match(method: .get, path: "/ws/table/t-1") else { Issue.record("ws"); return }
        #expect(parameters["id"] == "t-1")
    }

    @Test func emptyParameterSegmentDoesNotMatch() {
        guard case .notFound = RouterTests.router().match(method: .get, path: "/api/tables/") else {
            Issue.record("empty id must not match")
            return
        }
    }

    @Test func hostNormalizationLowercasesAndStripsPortAndDot() {
        #expect(HostRouter<String>.normalize("Aces.Example.COM:8443") == "aces.example.com")
        #expect(HostRouter<String>.normalize("aces.example.com.") == "aces.example.com")
        #expect(HostRouter<String>.normalize("[::1]:80") == "[::1]")
        #expect(HostRouter<String>.normalize("") == nil)
        #expect(HostRouter<String>.normalize("a b") == nil)
        #expect(HostRouter<String>.normalize("host:port") == nil)
    }

    @Test func hostLookupIsExactWithoutFallbackAndSwapsAtomically() {
        let hosts = HostRouter(["aces.example.com": "aces", "Kings.Example.com:80": "kings"])
        #expect(hosts.lookup("ACES.example.com:8080") == "aces")
        #expect(hosts.lookup("kings.example.com") == "kings")
        #expect(hosts.lookup("x.aces.example.com") == nil)
        #expect(hosts.lookup("example.com") == nil)
        #expect(hosts.lookup(nil) == nil)
        hosts.replace(with: ["queens.example.com": "queens"])
        #expect(hosts.lookup("aces.example.com") == nil)
        #expect(hosts.lookup("queens.example.com.") == "queens")
    }

    @Test func queryStringDecodesPlusAndPercent() {
        #expect(QueryString.parse("token=a%2Bb&name=x+y&empty=&flag") == ["token": "a+b", "name": "x y", "empty": "", "flag": ""])
    }
}
