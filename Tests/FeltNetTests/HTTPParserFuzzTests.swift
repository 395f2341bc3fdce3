import FeltTestSupport
import Testing
@testable import FeltNet

/// A digest of an event sequence (order, kinds, methods, targets, bodies, header counts).
func digest(_ events: [HTTPParserEvent]) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ v: UInt64) { h = (h ^ v) &* 0x0000_0100_0000_01b3 }
    for event in events {
        switch event {
        case .expectContinue: mix(1)
        case .error(let e): mix(2); mix(UInt64(e.httpError.status))
        case .request(let r):
            mix(3)
            for b in r.target.utf8 { mix(UInt64(b)) }
            mix(UInt64(r.headers.count))
            mix(UInt64(r.body.count))
            for b in r.body { mix(UInt64(b)) }
            mix(r.keepAlive ? 7 : 8)
        }
    }
    return h
}

@Suite struct HTTPParserFuzzTests {
    static let seeds: [[UInt8]] = [
        "GET /api/tables?limit=10 HTTP/1.1\r\nHost: aces.example.com\r\nAccept: */*\r\nUser-Agent: fuzz\r\n\r\n",
        "POST /api/tables/t1/join HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 18\r\n\r\n{\"buy_in\": 100000}",
        "PUT /up HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n4\r\nWiki\r\n5;x=y\r\npedia\r\n0\r\nT: v\r\n\r\n",
        "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nHEAD /b HTTP/1.1\r\nConnection: close\r\n\r\n",
        "DELETE /x/y/z HTTP/1.1\r\nHost: h:8080\r\nContent-Length: 0\r\n\r\nGET /ws/table/1?token=abc HTTP/1.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
    ].map { Array($0.utf8) }

    static let alphabet: [UInt8] = Array(" \r\n:;/?0123456789abcdefABCDEF-\t\u{7f}".utf8) + [0, 0x80, 0xFF]

    /// Mutates a seed: flips, inserts, deletes, duplicates and truncates bytes.
    static func mutate(_ seed: [UInt8], _ rng: inout SplitMix64) -> [UInt8] {
        var bytes = seed
        let edits = Int(rng.next() % 4)
        for _ in 0..<edits where !bytes.isEmpty {
            let at = Int(rng.next() % UInt64(bytes.count))
            switch rng.next() % 6 {
            case 0: bytes[at] = alphabet[Int(rng.next() % UInt64(alphabet.count))]
            case 1: bytes.insert(alphabet[Int(rng.next() % UInt64(alphabet.count))], at: at)
            case 2: bytes.remove(at: at)
            case 3:
                let end = min(bytes.count, at + Int(rng.next() % 16))
                bytes.insert(contentsOf: bytes[at..<end], at: at)
            case 4: bytes[at] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
            default: bytes.insert(contentsOf: Array(String(rng.next() % 100_000).utf8), at: at)
            }
        }
        if rng.next() % 4 == 0 { bytes.removeLast(Int(rng.next() % UInt64(bytes.count + 1))) }
        return bytes
    }

    /// Parses `bytes` split at random boundaries; checks progress bounds on every step.
    static func parseSplit(_ bytes: [UInt8], limits: HTTPParserLimits, _ rng: inout SplitMix64) -> (events: [HTTPParserEvent], ok: Bool) {
        var parser = HTTPRequestParser(limits: limits)
        var events: [HTTPParserEvent] = []
        var index = 0
        while index < bytes.count {
            let step = 1 + Int(rng.next() % UInt64(min(bytes.count - index, 64)))
            parser.feed(bytes[index..<(index + step)])
            index += step
            var guardCount = 0
            while let event = parser.next() {
                events.append(event)
                guardCount += 1
                if guardCount > bytes.count + 2 { return (events, false) }
            }
            if parser.bufferedByteCount > index { return (events, false) }
        }
        return (events, true)
    }

    @Test func millionMutatedRequestsSplitAnywhereParseLikeWholeOnes() async {
        let total = 1_000_000
        let workers = 2
        let limits: HTTPParserLimits = {
            var limits = HTTPParserLimits()
            limits.maxBodyBytes = 64
            limits.maxHeaderBytes = 160
            limits.maxRequestLineBytes = 80
            limits.maxHeaderCount = 6
            return limits
        }()
        // CPU-bound: run on threads of its own, not on the cooperative pool that the
        // other (socket) tests' tasks and timers need.
        let (failures, requestCount, errorCount) = await withTaskGroup(of: ([String], Int, Int).self) { group in
            for worker in 0..<workers {
                group.addTask { (try? await blocking {
                    var rng = SplitMix64(seed: 0xFE17 &+ UInt64(worker))
                    var problems: [String] = []
                    var requestCount = 0, errorCount = 0
                    for i in 0..<(total / workers) {
                        let seed = HTTPParserFuzzTests.seeds[Int(rng.next() % UInt64(HTTPParserFuzzTests.seeds.count))]
                        let input = HTTPParserFuzzTests.mutate(seed, &rng)
                        let split = HTTPParserFuzzTests.parseSplit(input, limits: limits, &rng)
                        for event in split.events {
                            if case .request = event { requestCount += 1 }
                            if case .error = event { errorCount += 1 }
                        }
                        if !split.ok {
                            problems.append("worker \(worker) case \(i): no progress bound")
                        } else if i % 8 == 0 {
                            var parser = HTTPRequestParser(limits: limits)
                            parser.feed(input)
                            var whole: [HTTPParserEvent] = []
                            while let event = parser.next() { whole.append(event) }
                            if digest(whole) != digest(split.events) {
                                problems.append("worker \(worker) case \(i): split and whole parses differ for \(String(decoding: input, as: UTF8.self).debugDescription)")
                            }
                        }
                        if problems.count > 5 { break }
                    }
                    return (problems, requestCount, errorCount)
                }) ?? (["worker \(worker) did not run"], 0, 0)
                }
            }
            var all: [String] = []
            var requests = 0, errors = 0
            for await part in group {
                all += part.0
                requests += part.1
                errors += part.2
            }
            return (all, requests, errors)
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        // The mutations must exercise both outcomes, or the test proves little.
        #expect(requestCount > total / 10)
        #expect(errorCount > total / 10)
    }
}
