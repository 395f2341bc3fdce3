import Foundation
import Testing
@testable import FeltNet

/// Routes used by the server tests.
func testRouter(name: String) -> Router {
    var router = Router()
    router.get("/hello") { _, _ in .text("hello from \(name)") }
    router.get("/peer") { _, context in .text(context.remoteAddress) }
    router.get("/slow/{ms}") { _, context in
        let ms = Int(context[parameter: "ms"] ?? "0") ?? 0
        try? await context.loop.sleep(for: .milliseconds(ms))
        return .text("slept \(ms)")
    }
    router.post("/echo") { request, _ in
        HTTPResponse(status: 200, headers: ["Content-Type": "application/octet-stream"], body: request.body)
    }
    router.post("/json") { request, _ in
        struct Join: Codable { let buyIn: Int }
        do throws(HTTPError) {
            let join = try request.decodeJSON(Join.self)
            return .json(Join(buyIn: join.buyIn * 2), status: 201)
        } catch {
            return error.response
        }
    }
    router.get("/big/{kb}") { _, context in
        let kb = Int(context[parameter: "kb"] ?? "1") ?? 1
        return HTTPResponse(body: [UInt8](repeating: 0x61, count: kb * 1024))
    }
    router.delete("/hello") { _, _ in .empty() }
    return router
}

/// Runs curl and parses its `-i` output (skipping interim 100 responses).
func curl(_ arguments: [String]) async throws -> [HTTPResponses.Parsed] {
    let result = try await run("curl", ["-s", "-i", "--max-time", "20"] + arguments)
    return HTTPResponses.split(result.stdout).filter { $0.status != 100 }
}

@Suite struct HTTPServerTests {
    @Test func unknownOrMissingHostGets404UnknownTenantButHealthzAnswers() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let unknown = try await curl(["-H", "Host: other.test", server.base + "/hello"])
        #expect(unknown.first?.status == 404)
        #expect(errorCode(unknown.first?.body ?? "") == "unknown_tenant")
        let health = try await curl(["-H", "Host: other.test", server.base + "/healthz"])
        #expect(health.first?.status == 200)
        #expect(health.first?.body == "{\"status\":\"ok\"}")
        let missing = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("GET /hello HTTP/1.0\r\n\r\n")
            return client.readToEnd()
        }
        let parsed = HTTPResponses.split(missing)
        #expect(parsed.first?.status == 404)
        #expect(errorCode(parsed.first?.body ?? "") == "unknown_tenant")
        await server.stop()
    }

    @Test func twoTenantsOnTwoHostsShareOneListener() async throws {
        let server = try TestServer.start(hosts: ["aces.test": "aces", "KINGS.test": "kings"],
                                          routers: ["aces": testRouter(name: "aces"), "kings": testRouter(name: "kings")])
        let aces = try await curl(["-H", "Host: Aces.Test:\(server.port)", server.base + "/hello"])
        let kings = try await curl(["-H", "Host: kings.test.", server.base + "/hello"])
        #expect(aces.first?.body == "hello from aces")
        #expect(kings.first?.body == "hello from kings")
        await server.stop()
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let responses = try await curl(["-H", "Host: club.test", server.base + "/peer", server.base + "/peer", server.base + "/hello"])
        #expect(responses.count == 3)
        #expect(responses[0].body == responses[1].body)
        #expect(responses[0].body.hasPrefix("127.0.0.1:"))
        #expect(responses[2].body == "hello from club")
        #expect(responses.allSatisfy { $0.headers["connection"] == nil })
        await server.stop()
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let text = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("GET /slow/80 HTTP/1.1\r\nHost: club.test\r\n\r\nGET /hello HTTP/1.1\r\nHost: club.test\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: club.test\r\nContent-Length: 3\r\n\r\nabcGET /slow/1 HTTP/1.1\r\nHost: club.test\r\nConnection: close\r\n\r\n")
            return client.readToEnd()
        }
        let responses = HTTPResponses.split(text)
        #expect(responses.map(\.body) == ["slept 80", "hello from club", "abc", "slept 1"])
        #expect(responses.last?.headers["connection"] == "close")
        await server.stop()
    }

    @Test func chunkedUploadIsReassembled() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let payload = String(repeating: "0123456789", count: 5000)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("felt-chunked-\(UUID().uuidString)")
        try payload.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let responses = try await curl(["-H", "Host: club.test", "-H", "Transfer-Encoding: chunked",
                                        "--data-binary", "@" + file.path, server.base + "/echo"])
        #expect(responses.first?.status == 200)
        #expect(responses.first?.body == payload)
        await server.stop()
    }

    @Test func oversizedHeadersGet431AndOversizedBodies413() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")]) { $0.limits.maxBodyBytes = 100_000 }
        let big = try await curl(["-H", "Host: club.test", "-H", "X-Big: " + String(repeating: "x", count: 40_000), server.base + "/hello"])
        #expect(big.first?.status == 431)
        #expect(errorCode(big.first?.body ?? "") == "headers_too_large")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("felt-big-\(UUID().uuidString)")
        try Data(repeating: 0x62, count: 300_000).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let body = try await curl(["-H", "Host: club.test", "--data-binary", "@" + file.path, server.base + "/echo"])
        #expect(body.first?.status == 413)
        #expect(errorCode(body.first?.body ?? "") == "body_too_large")
        #expect(body.first?.headers["connection"] == "close")
        let chunked = try await curl(["-H", "Host: club.test", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file.path, server.base + "/echo"])
        #expect(chunked.first?.status == 413)
        await server.stop()
    }

    @Test func longRequestLineGets414() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let responses = try await curl(["-H", "Host: club.test", server.base + "/hello?" + String(repeating: "q", count: 9000)])
        #expect(responses.first?.status == 414)
        #expect(errorCode(responses.first?.body ?? "") == "uri_too_long")
        await server.stop()
    }

    @Test func slowHeadersGet408AndTheConnectionCloses() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")]) { $0.headerTimeout = .milliseconds(300) }
        let (text, elapsed) = try await blocking { () -> (String, TimeInterval) in
            let started = Date()
            let client = try RawClient(port: server.port)
            client.send("GET /hello HTTP/1.1\r\nHost: club")
            let text = client.readToEnd()
            return (text, Date().timeIntervalSince(started))
        }
        let responses = HTTPResponses.split(text)
        #expect(responses.first?.status == 408)
        #expect(errorCode(responses.first?.body ?? "") == "request_timeout")
        #expect(elapsed >= 0.25 && elapsed < 10)
        await server.stop()
    }

    @Test func idleKeepAliveConnectionIsClosedAfterIdleTimeout() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")]) { $0.idleTimeout = .milliseconds(300) }
        let text = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("GET /hello HTTP/1.1\r\nHost: club.test\r\n\r\n")
            return client.readToEnd()
        }
        #expect(HTTPResponses.split(text).map(\.status) == [200])
        #expect(server.server.connectionCount == 0)
        await server.stop()
    }

    @Test func http10KeepAliveIsAnnouncedAndHonoured() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let text = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("GET /hello HTTP/1.0\r\nHost: club.test\r\nConnection: keep-alive\r\n\r\n")
            let first = client.readResponses(1)
            client.send("GET /hello HTTP/1.0\r\nHost: club.test\r\n\r\n")
            return first + "|" + client.readToEnd()
        }
        let parts = text.components(separatedBy: "|")
        #expect(HTTPResponses.split(parts[0]).first?.headers["connection"] == "keep-alive")
        #expect(HTTPResponses.split(parts[1]).first?.headers["connection"] == "close")
        #expect(HTTPResponses.split(parts[1]).first?.body == "hello from club")
        await server.stop()
    }

    @Test func routerErrorsUseTheJSONErrorShape() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let missing = try await curl(["-H", "Host: club.test", server.base + "/nope"])
        #expect(missing.first?.status == 404)
        #expect(errorCode(missing.first?.body ?? "") == "not_found")
        let wrong = try await curl(["-H", "Host: club.test", "-X", "PUT", server.base + "/hello"])
        #expect(wrong.first?.status == 405)
        #expect(wrong.first?.headers["allow"] == "GET, HEAD, DELETE")
        #expect(errorCode(wrong.first?.body ?? "") == "method_not_allowed")
        let unknownMethod = try await curl(["-H", "Host: club.test", "-X", "BREW", server.base + "/hello"])
        #expect(unknownMethod.first?.status == 501)
        let bad = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("GET /hello HTTP/1.1\r\nHost club.test\r\n\r\n")
            return client.readToEnd()
        }
        #expect(HTTPResponses.split(bad).first?.status == 400)
        #expect(errorCode(HTTPResponses.split(bad).first?.body ?? "") == "bad_request")
        await server.stop()
    }

    @Test func jsonBodiesRoundTripAndInvalidJSONIs400() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let ok = try await curl(["-H", "Host: club.test", "-H", "Content-Type: application/json", "-d", "{\"buyIn\": 21}", server.base + "/json"])
        #expect(ok.first?.status == 201)
        #expect(ok.first?.body == "{\"buyIn\":42}")
        #expect(ok.first?.headers["content-type"] == "application/json")
        let bad = try await curl(["-H", "Host: club.test", "-d", "{nope", server.base + "/json"])
        #expect(bad.first?.status == 400)
        #expect(errorCode(bad.first?.body ?? "") == "invalid_json")
        await server.stop()
    }

    @Test func requestIdIsEchoedOrGeneratedAndDateIsPresent() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let before = Date()
        let echoed = try await curl(["-H", "Host: club.test", "-H", "X-Request-Id: abc-123", server.base + "/hello"])
        let after = Date()
        #expect(echoed.first?.headers["x-request-id"] == "abc-123")
        let generated = try await curl(["-H", "Host: club.test", server.base + "/hello", server.base + "/hello"])
        let ids = generated.compactMap { $0.headers["x-request-id"] }
        #expect(ids.count == 2 && ids[0] != ids[1] && !ids[0].isEmpty)
        let date = try #require(echoed.first?.headers["date"])
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let parsed = try #require(formatter.date(from: date))
        #expect(parsed >= before.addingTimeInterval(-2) && parsed <= after.addingTimeInterval(2))
        await server.stop()
    }

    @Test func headAnswersWithLengthButNoBody() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let text = try await blocking { () -> String in
            let client = try RawClient(port: server.port)
            client.send("HEAD /hello HTTP/1.1\r\nHost: club.test\r\n\r\nGET /hello HTTP/1.1\r\nHost: club.test\r\nConnection: close\r\n\r\n")
            return client.readToEnd()
        }
        #expect(text.hasPrefix("HTTP/1.1 200 OK\r\n"))
        let firstHead = text.components(separatedBy: "\r\n\r\n")[0]
        #expect(firstHead.contains("Content-Length: 15"))
        // The next response starts right after the HEAD response's blank line.
        #expect(text.components(separatedBy: "\r\n\r\n")[1].hasPrefix("HTTP/1.1 200 OK"))
        #expect(text.hasSuffix("hello from club"))
        await server.stop()
    }

    @Test func expectContinueGets100BeforeTheBody() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")])
        let text = try await blocking { () -> String in
            let client = try RawClient(port: server.port, receiveTimeout: 2)
            client.send("POST /echo HTTP/1.1\r\nHost: club.test\r\nExpect: 100-continue\r\nContent-Length: 4\r\nConnection: close\r\n\r\n")
            var buffer = [UInt8](repeating: 0, count: 1024)
            let n = recv(client.fd, &buffer, buffer.count, 0)
            let interim = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self) : ""
            client.send("ping")
            return interim + "|" + client.readToEnd()
        }
        #expect(text.hasPrefix("HTTP/1.1 100 Continue\r\n\r\n|HTTP/1.1 200 OK"))
        #expect(text.hasSuffix("ping"))
        await server.stop()
    }

    @Test func connectionsPerAddressAreCapped() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")]) { $0.maxConnectionsPerAddress = 2 }
        let third = try await blocking { () -> String in
            let a = try RawClient(port: server.port)
            let b = try RawClient(port: server.port)
            a.send("GET /hello HTTP/1.1\r\nHost: club.test\r\n\r\n")
            b.send("GET /hello HTTP/1.1\r\nHost: club.test\r\n\r\n")
            _ = a.readResponses(1)
            _ = b.readResponses(1)
            let c = try RawClient(port: server.port)
            return c.readToEnd()
        }
        let parsed = HTTPResponses.split(third)
        #expect(parsed.first?.status == 503)
        #expect(errorCode(parsed.first?.body ?? "") == "too_many_connections")
        await server.stop()
    }

    @Test func peerThatStopsReadingIsClosedOnceOverTheOutboundLimit() async throws {
        let server = try TestServer.start(routers: ["club": testRouter(name: "club")]) { $0.maxOutboundBytes = 256 * 1024 }
        let client = try await blocking { () -> RawClient in
            let client = try RawClient(port: server.port, receiveTimeout: 5)
            let request = "GET /big/256 HTTP/1.1\r\nHost: club.test\r\n\r\n"
            client.send(String(repeating: request, count: 200))
            return client
        }
        // 200 responses of 256 KiB (~51 MB) cannot sit in socket buffers: the server
        // must give up on this reader instead of buffering them.
        var waited = 0
        while server.server.connectionCount > 0 && waited < 500 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(server.server.connectionCount == 0)
        #expect(client.fd >= 0)
        await server.stop()
    }

    @Test func shutdownFinishesInFlightRequestsAndStopsAccepting() async throws {
        // The handler holds its request until shutdown has begun, whatever the timing.
        let started = Locked(false)
        let gate = Locked(false)
        var router = Router()
        router.get("/work") { _, context in
            started.withLock { $0 = true }
            while !gate.withLock({ $0 }) { try? await context.loop.sleep(for: .milliseconds(5)) }
            return .text("finished")
        }
        let server = try TestServer.start(routers: ["club": router])
        let port = server.port
        async let inFlight = blocking { () -> String in
            let client = try RawClient(port: port)
            client.send("GET /work HTTP/1.1\r\nHost: club.test\r\n\r\n")
            return client.readToEnd()
        }
        // Shutdown must begin while the request is in flight: wait (bounded) until the
        // handler runs, however loaded the machine is.
        let handlerDeadline = Date().addingTimeInterval(60)
        while !started.withLock({ $0 }) && Date() < handlerDeadline {
            try await Task.sleep(for: .milliseconds(5))
        }
        try #require(started.withLock { $0 }, "the handler never started")
        async let shutdown: Void = server.server.shutdown(timeout: .seconds(30))
        while !server.server.core.draining.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(5)) }
        gate.withLock { $0 = true }
        await shutdown
        let text = try await inFlight
        let parsed = HTTPResponses.split(text)
        #expect(parsed.first?.body == "finished")
        #expect(parsed.first?.headers["connection"] == "close", "\(text)")
        #expect(throws: NetworkError.self) { _ = try RawClient(port: port) }
        let group = server.group
        _ = try await blocking { group.shutdown() }
    }
}
