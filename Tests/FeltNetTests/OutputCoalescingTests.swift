import Foundation
import Glibc
import Testing
@testable import FeltNet

/// Reads one HTTP head (through CRLFCRLF) byte by byte; what follows stays in the socket.
private func readHead(_ client: RawClient) -> String {
    var head: [UInt8] = []
    var byte: UInt8 = 0
    while !(head.count >= 4 && head.suffix(4) == [13, 10, 13, 10]) {
        guard recv(client.fd, &byte, 1, 0) == 1 else { break }
        head.append(byte)
    }
    return String(decoding: head, as: UTF8.self)
}

/// Splits unmasked server text frames (payloads < 126 bytes) into their payloads.
private func textPayloads(_ bytes: [UInt8]) -> [String] {
    var payloads: [String] = []
    var index = 0
    while index + 2 <= bytes.count, bytes[index] == 0x81 {
        let length = Int(bytes[index + 1] & 0x7F)
        guard length < 126, index + 2 + length <= bytes.count else { break }
        payloads.append(String(decoding: bytes[(index + 2)..<(index + 2 + length)], as: UTF8.self))
        index += 2 + length
    }
    return payloads
}

/// A WebSocket route whose connections are collected in `opened`.
private func collectingRouter(_ opened: Locked<[WebSocketConnection]>) -> Router {
    var router = Router()
    router.webSocket("/ws") { _, _ in
        .accept(WebSocketHandler(onOpen: { connection in opened.withLock { $0.append(connection) } }))
    }
    return router
}

/// Opens a raw WebSocket client and waits until the server has called `onOpen`.
private func openRawWebSocket(_ server: TestServer, _ opened: Locked<[WebSocketConnection]>,
                              receiveTimeout: Double = 5) async throws -> (RawClient, WebSocketConnection) {
    let port = server.port
    let (client, head) = try await blocking { () -> (RawClient, String) in
        let client = try RawClient(port: port, receiveTimeout: receiveTimeout)
        client.send(WebSocketHandshake.clientRequest(host: "club.test", path: "/ws", key: WebSocketHandshake.makeClientKey()))
        return (client, readHead(client))
    }
    try #require(head.hasPrefix("HTTP/1.1 101"), "\(head)")
    var waited = 0
    while opened.withLock({ $0.isEmpty }) && waited < 1000 {
        try await Task.sleep(for: .milliseconds(5))
        waited += 1
    }
    let handle = try #require(opened.withLock { $0.first })
    return (client, handle)
}

@Suite struct OutputCoalescingTests {

    @Test func messagesSentInOneLoopTurnLeaveInOneSendInOrder() async throws {
        let opened = Locked<[WebSocketConnection]>([])
        let server = try TestServer.start(routers: ["club": collectingRouter(opened)])
        let (client, handle) = try await openRawWebSocket(server, opened)
        let calls = Locked<(before: UInt64, after: UInt64)?>(nil)
        handle.loop.execute {
            let before = handle.connection.sendCalls
            handle.send(text: "first")
            handle.send(textPieces: [Array("sec".utf8), [], Array("ond".utf8)])
            handle.send(WebSocketFrameEncoder.text("third"))
            // Runs in the next loop iteration, after the end-of-iteration flush.
            handle.loop.execute { calls.withLock { $0 = (before, handle.connection.sendCalls) } }
        }
        let received = try await blocking { () -> [UInt8] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            let n = recv(client.fd, &buffer, buffer.count, 0)
            return n > 0 ? Array(buffer[0..<n]) : []
        }
        // One send: the three frames are in the socket together, so one read sees them all.
        #expect(textPayloads(received) == ["first", "second", "third"])
        var waited = 0
        while calls.withLock({ $0 == nil }) && waited < 1000 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        let counted = try #require(calls.withLock { $0 })
        #expect(counted.after - counted.before == 1)
        await server.stop()
    }

    @Test func sendsFromSeparateLoopTurnsAreNotHeldBack() async throws {
        let opened = Locked<[WebSocketConnection]>([])
        let server = try TestServer.start(routers: ["club": collectingRouter(opened)])
        let (client, handle) = try await openRawWebSocket(server, opened)
        // Nothing else runs on the loop: each message must leave in its own iteration.
        for text in ["a", "b"] {
            handle.send(text: text)
            let got = try await blocking { () -> [UInt8] in
                var buffer = [UInt8](repeating: 0, count: 4096)
                let n = recv(client.fd, &buffer, buffer.count, 0)
                return n > 0 ? Array(buffer[0..<n]) : []
            }
            #expect(textPayloads(got) == [text])
        }
        await server.stop()
    }

    @Test func webSocketPeerThatStopsReadingIsClosedOnceOverTheOutboundLimit() async throws {
        let opened = Locked<[WebSocketConnection]>([])
        let server = try TestServer.start(routers: ["club": collectingRouter(opened)]) { $0.maxOutboundBytes = 64 * 1024 }
        let (client, handle) = try await openRawWebSocket(server, opened)
        // 32 MiB of messages to a client that never reads cannot fit in socket buffers.
        let frame = WebSocketFrameEncoder.text(String(repeating: "x", count: 16 * 1024))
        for _ in 0..<2048 {
            handle.send(frame)
            if server.server.connectionCount == 0 { break }
        }
        var waited = 0
        while server.server.connectionCount > 0 && waited < 1000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 1
        }
        #expect(server.server.connectionCount == 0)
        // The client sees the close: after what was already in its buffers, end of stream
        // (or a reset), not a read that times out on a live connection.
        let ended = try await blocking { () -> Bool in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = recv(client.fd, &buffer, buffer.count, 0)
                if n > 0 { continue }
                return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)
            }
        }
        #expect(ended)
        await server.stop()
    }

    @Test func outboundQueueDrainsSharedAndOwnedChunksInOrderAcrossPartialWrites() {
        var queue = OutboundQueue()
        var expected: [UInt8] = []
        for i in 0..<40 {
            if i % 3 == 0 {
                queue.appendInPlace(reserving: 16) { $0 += [UInt8(i), UInt8(i), UInt8(i)] }
                expected += [UInt8(i), UInt8(i), UInt8(i)]
            } else if i % 3 == 1 {
                let small = [UInt8](repeating: UInt8(i), count: 10)  // copied into the owned tail
                queue.append(small)
                expected += small
            } else {
                let big = [UInt8](repeating: UInt8(i), count: 300 + i)  // shared, by reference
                queue.append(big)
                expected += big
            }
        }
        #expect(queue.byteCount == expected.count)
        #expect(queue.chunkCount == 27)  // 14 owned tails (each with a small write copied in), 13 shared
        var written: [UInt8] = []
        var batches: [Int] = []
        var budget = 0
        // A socket taking 97 bytes per call, refusing every third call.
        var call = 0
        while !queue.isEmpty {
            call += 1
            budget = call % 3 == 0 ? 0 : 97
            _ = queue.drain { iov in
                batches.append(iov.count)
                guard budget > 0 else { return -1 }
                var taken = 0
                for vector in iov where taken < budget {
                    let raw = UnsafeRawBufferPointer(start: vector.iov_base, count: vector.iov_len)
                    let take = min(raw.count, budget - taken)
                    written += raw.prefix(take)
                    taken += take
                }
                budget -= taken
                return taken
            }
            // New output queued mid-drain lands after what is already queued.
            if call == 5 {
                queue.append([250, 251])
                expected += [250, 251]
            }
        }
        #expect(written == expected)
        #expect(batches.allSatisfy { $0 >= 1 && $0 <= OutboundQueue.maxBatch })
        #expect(batches.contains { $0 > 1 })
        #expect(queue.drain { _ in -1 })
    }
}
