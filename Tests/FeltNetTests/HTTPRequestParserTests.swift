import Testing
@testable import FeltNet

/// Feeds `text` to a fresh parser (optionally one byte at a time) and collects events.
func parseAll(_ text: String, limits: HTTPParserLimits = HTTPParserLimits(), byteByByte: Bool = false) -> [HTTPParserEvent] {
    var parser = HTTPRequestParser(limits: limits)
    var events: [HTTPParserEvent] = []
    let bytes = Array(text.utf8)
    if byteByByte {
        for byte in bytes {
            parser.feed([byte])
            while let event = parser.next() { events.append(event) }
        }
    } else {
        parser.feed(bytes)
        while let event = parser.next() { events.append(event) }
    }
    return events
}

func requests(_ events: [HTTPParserEvent]) -> [HTTPRequest] {
    events.compactMap { if case .request(let r) = $0 { return r } else { return nil } }
}

func firstError(_ events: [HTTPParserEvent]) -> HTTPParseError? {
    for event in events { if case .error(let e) = event { return e } }
    return nil
}

@Suite struct HTTPRequestParserTests {
    @Test func parsesSimpleGetWithHeadersAndQuery() throws {
        let reqs = requests(parseAll("GET /api/tables?x=1&y=a%20b HTTP/1.1\r\nHost: Aces.Example.com\r\nX-Thing:  spaced value \r\n\r\n"))
        #expect(reqs.count == 1)
        let r = try #require(reqs.first)
        #expect(r.method == .get)
        #expect(r.path == "/api/tables")
        #expect(r.query == ["x": "1", "y": "a b"])
        #expect(r.headers["host"] == "Aces.Example.com")
        #expect(r.headers["x-thing"] == "spaced value")
        #expect(r.keepAlive)
        #expect(r.body.isEmpty)
    }

    @Test func sameResultWhenFedOneByteAtATime() {
        let text = "POST /a HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET /b HTTP/1.1\r\n\r\n"
        let whole = requests(parseAll(text)).map { "\($0.method.rawValue) \($0.target) \(String(decoding: $0.body, as: UTF8.self))" }
        let split = requests(parseAll(text, byteByByte: true)).map { "\($0.method.rawValue) \($0.target) \(String(decoding: $0.body, as: UTF8.self))" }
        #expect(whole == ["POST /a hello", "GET /b "])
        #expect(split == whole)
    }

    @Test func decodesChunkedBodyWithExtensionsAndTrailers() throws {
        let text = "POST /up HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\nhello\r\n6\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n"
        for byteByByte in [false, true] {
            let r = try #require(requests(parseAll(text, byteByByte: byteByByte)).first)
            #expect(String(decoding: r.body, as: UTF8.self) == "hello world")
        }
    }

    @Test func connectionCloseAndHTTP10DisableKeepAlive() throws {
        #expect(requests(parseAll("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")).first?.keepAlive == false)
        #expect(requests(parseAll("GET / HTTP/1.0\r\n\r\n")).first?.keepAlive == false)
        #expect(requests(parseAll("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")).first?.keepAlive == true)
    }

    @Test func expectContinueComesBeforeTheBody() {
        var parser = HTTPRequestParser()
        parser.feed(Array("PUT /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 3\r\n\r\n".utf8))
        guard case .expectContinue = parser.next() else { Issue.record("no expectContinue"); return }
        #expect(parser.next() == nil)
        parser.feed(Array("abc".utf8))
        guard case .request(let r) = parser.next() else { Issue.record("no request"); return }
        #expect(r.body == Array("abc".utf8))
    }

    @Test func requestLineOverLimitIs414EvenWithoutLineEnd() {
        let long = "GET /" + String(repeating: "a", count: 9000)
        #expect(firstError(parseAll(long)) == .requestLineTooLong)
        #expect(firstError(parseAll(long + " HTTP/1.1\r\n\r\n")) == .requestLineTooLong)
        #expect(firstError(parseAll("GET /" + String(repeating: "a", count: 8000) + " HTTP/1.1\r\n\r\n")) == nil)
    }

    @Test func headersOverByteOrCountLimitAre431() {
        let big = "GET / HTTP/1.1\r\nX-Big: " + String(repeating: "b", count: 33 * 1024) + "\r\n\r\n"
        #expect(firstError(parseAll(big)) == .headersTooLarge)
        var many = "GET / HTTP/1.1\r\n"
        for i in 0..<101 { many += "X-H\(i): v\r\n" }
        #expect(firstError(parseAll(many + "\r\n")) == .headersTooLarge)
        var hundred = "GET / HTTP/1.1\r\n"
        for i in 0..<100 { hundred += "X-H\(i): v\r\n" }
        #expect(requests(parseAll(hundred + "\r\n")).count == 1)
    }

    @Test func bodyOverLimitIs413ForLengthAndChunked() {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 10
        #expect(firstError(parseAll("POST / HTTP/1.1\r\nContent-Length: 11\r\n\r\n", limits: limits)) == .bodyTooLarge)
        #expect(firstError(parseAll("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n6\r\nabcdef\r\n0\r\n\r\n", limits: limits)) == .bodyTooLarge)
        #expect(requests(parseAll("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\n0123456789", limits: limits)).count == 1)
    }

    @Test func malformedInputIs400() {
        let cases = [
            "GET  / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1 extra\r\n\r\n",
            "GET / HTTX/1.1\r\n\r\n",
            "GET noslash HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\nHost: a\r\n\r\n",
            "GET / HTTP/1.1\r\nBad Header: x\r\n\r\n",
            "GET / HTTP/1.1\r\n folded: x\r\n\r\n",
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "POST / HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
            "GET /\u{01} HTTP/1.1\r\n\r\n",
        ]
        for text in cases {
            guard case .malformed = firstError(parseAll(text)) else {
                Issue.record("expected 400 for \(text.debugDescription)")
                continue
            }
        }
    }

    @Test func unknownMethodIs501AndOtherVersionsAre505() {
        #expect(firstError(parseAll("BREW /pot HTTP/1.1\r\n\r\n")) == .unsupportedMethod)
        #expect(firstError(parseAll("TRACE / HTTP/1.1\r\n\r\n")) == .unsupportedMethod)
        #expect(firstError(parseAll("GET / HTTP/2.0\r\n\r\n")) == .unsupportedVersion)
        #expect(firstError(parseAll("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n")) == .unsupportedTransferEncoding)
        #expect(firstError(parseAll("GET / HTTP/1.1\r\nExpect: tea\r\n\r\n")) == .unsupportedExpectation)
    }

    @Test func absoluteFormTargetKeepsPathAndQuery() throws {
        let r = try #require(requests(parseAll("GET http://host.example/a/b?c=d HTTP/1.1\r\n\r\n")).first)
        #expect(r.target == "/a/b?c=d")
        let bare = try #require(requests(parseAll("GET http://host.example HTTP/1.1\r\n\r\n")).first)
        #expect(bare.target == "/")
    }

    @Test func parserStaysFailedAfterAnError() {
        var parser = HTTPRequestParser()
        parser.feed(Array("BAD LINE\r\n\r\nGET / HTTP/1.1\r\n\r\n".utf8))
        guard case .error = parser.next() else { Issue.record("expected error"); return }
        #expect(parser.next() == nil)
        #expect(parser.hasFailed)
    }

    @Test func remainingBytesAfterRequestAreHandedOver() {
        var parser = HTTPRequestParser()
        parser.feed(Array("GET /ws HTTP/1.1\r\n\r\n\u{81}\u{02}".utf8))
        guard case .request = parser.next() else { Issue.record("no request"); return }
        #expect(parser.takeRemainingBytes() == [0xC2, 0x81, 0x02])
    }
}

extension HTTPParserEvent: Equatable {
    public static func == (lhs: HTTPParserEvent, rhs: HTTPParserEvent) -> Bool {
        switch (lhs, rhs) {
        case (.expectContinue, .expectContinue): return true
        case (.error(let a), .error(let b)): return a == b
        case (.request(let a), .request(let b)): return a.target == b.target && a.body == b.body && a.method == b.method
        default: return false
        }
    }
}
