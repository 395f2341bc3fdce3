import Testing
@testable import FeltNet

@Suite struct WebSocketStateMachineTests {
    typealias F = WebSocketFixture
    typealias Action = WebSocketStateMachine.Action

    @Test func textAndBinaryMessagesAreDelivered() {
        var machine = WebSocketStateMachine()
        #expect(machine.receive(F.client(.text, "hi") + F.client(.binary, [1, 2])) == [.deliverText("hi"), .deliverBinary([1, 2])])
        #expect(machine.state == .open)
        #expect(machine.canSendMessages)
    }

    @Test func pingIsAnsweredWithPongEchoingThePayload() {
        var machine = WebSocketStateMachine()
        #expect(machine.receive(F.client(.ping, [9, 8, 7])) == [.write(WebSocketFrameEncoder.pong([9, 8, 7]))])
        #expect(WebSocketFrameEncoder.pong([9, 8, 7]).bytes == [0x8A, 0x03, 9, 8, 7])
    }

    @Test func pongIsReported() {
        var machine = WebSocketStateMachine()
        #expect(machine.receive(F.client(.pong, [1])) == [.pongReceived([1])])
    }

    @Test func pingInsideAFragmentedMessageIsAnsweredBeforeTheMessage() {
        var machine = WebSocketStateMachine()
        let stream = F.client(.text, "a", fin: false) + F.client(.ping, [5]) + F.client(.continuation, "b")
        #expect(machine.receive(stream) == [.write(WebSocketFrameEncoder.pong([5])), .deliverText("ab")])
    }

    // MARK: Peer-initiated close

    @Test func peerCloseIsEchoedThenTheConnectionCloses() {
        var machine = WebSocketStateMachine()
        let actions = machine.receive(F.clientClose(code: 1001, reason: Array("bye".utf8)))
        #expect(actions == [.closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .goingAway))])
        #expect(machine.state == .closed)
        #expect(machine.peerCloseCode == .goingAway)
        #expect(!machine.canSendMessages)
    }

    @Test func emptyPeerCloseIsAnsweredWith1000() {
        var machine = WebSocketStateMachine()
        #expect(machine.receive(F.client(.close, [])) == [.closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .normalClosure))])
        #expect(machine.peerCloseCode == nil)
    }

    @Test func messagesBeforeThePeerCloseAreStillDelivered() {
        var machine = WebSocketStateMachine()
        let actions = machine.receive(F.client(.text, "last words") + F.clientClose(code: 1000) + F.client(.text, "after"))
        #expect(actions == [.deliverText("last words"), .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .normalClosure))])
    }

    @Test func nothingHappensAfterTheConnectionClosed() {
        var machine = WebSocketStateMachine()
        _ = machine.receive(F.clientClose(code: 1000))
        #expect(machine.receive(F.client(.ping, [1]) + F.client(.text, "x")) == [])
        #expect(machine.initiateClose(code: .goingAway) == nil)
        #expect(machine.checkTimeouts(now: 1 << 62) == nil)
        #expect(machine.closeTimeoutExpired() == nil)
    }

    // MARK: Protocol violations

    @Test(arguments: [
        (F.client(.text, [0xFF]), WebSocketCloseCode.invalidPayloadData),
        ([0x81, 0x01, 0x61], .protocolError),                                          // unmasked
        (F.client(.text, Array("x".utf8), rsv: 1), .protocolError),
        (F.client(.ping, [], fin: false), .protocolError),
        (F.client(.continuation, "x"), .protocolError),
        (F.client(.binary, [UInt8](repeating: 0, count: 64 * 1024 + 1)), .messageTooBig),
        (F.client(.close, [3]), .protocolError),
        (F.clientClose(code: 1005), .protocolError),
        (F.clientClose(code: 1000, reason: [0xC0]), .invalidPayloadData),
    ] as [([UInt8], WebSocketCloseCode)])
    func protocolViolationSendsCloseWithItsCodeThenCloses(bytes: [UInt8], code: WebSocketCloseCode) throws {
        var machine = WebSocketStateMachine()
        let actions = machine.receive(bytes)
        #expect(actions.count == 1)
        guard case .closeConnection(let frame?)? = actions.first else {
            Issue.record("expected closeConnection with a frame, got \(actions)")
            return
        }
        var client = WebSocketFrameParser(configuration: .init(role: .client))
        guard case .close(let sent, _)? = client.parse(frame.bytes).first else {
            Issue.record("final frame is not a close frame")
            return
        }
        #expect(sent == code)
        #expect(machine.protocolError?.closeCode == code)
        #expect(machine.state == .closed)
    }

    @Test func violationAfterValidMessagesDeliversThemFirst() {
        var machine = WebSocketStateMachine()
        let actions = machine.receive(F.client(.text, "ok") + F.client(.text, [0xFF]) + F.client(.text, "never"))
        #expect(actions.count == 2)
        #expect(actions.first == .deliverText("ok"))
        #expect(machine.protocolError == WebSocketProtocolError(.invalidUTF8))
    }

    // MARK: Local close

    @Test func localCloseWritesCloseAndWaitsForThePeer() {
        var machine = WebSocketStateMachine()
        #expect(machine.initiateClose(code: .goingAway, reason: "shutdown") ==
                .write(WebSocketFrameEncoder.close(code: .goingAway, reason: "shutdown")))
        #expect(machine.state == .closing)
        #expect(!machine.canSendMessages)
        // A second request does nothing.
        #expect(machine.initiateClose(code: .normalClosure) == nil)
        // Data frames and pings are ignored while closing; pongs are still reported.
        #expect(machine.receive(F.client(.text, "late") + F.client(.ping, [1]) + F.client(.pong, [2])) == [.pongReceived([2])])
        // The peer's close ends it without another close frame.
        #expect(machine.receive(F.clientClose(code: 1001)) == [.closeConnection(finalFrame: nil)])
        #expect(machine.state == .closed)
        #expect(machine.closeTimeoutExpired() == nil)
    }

    @Test func localCloseCanBeForcedToEnd() {
        var machine = WebSocketStateMachine()
        _ = machine.initiateClose(code: .goingAway)
        #expect(machine.closeTimeoutExpired() == .closeConnection(finalFrame: nil))
        #expect(machine.state == .closed)
    }

    @Test func protocolErrorWhileClosingClosesWithoutAnotherCloseFrame() {
        var machine = WebSocketStateMachine()
        _ = machine.initiateClose()
        #expect(machine.receive([0x81, 0x01, 0x61]) == [.closeConnection(finalFrame: nil)])
    }

    @Test func failConnectionClosesAtOnceWithTheGivenCode() {
        var machine = WebSocketStateMachine()
        #expect(machine.failConnection(code: .policyViolation, reason: "slow consumer") ==
                .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .policyViolation, reason: "slow consumer")))
        #expect(machine.state == .closed)
        #expect(machine.failConnection(code: .policyViolation) == nil)

        var closing = WebSocketStateMachine()
        _ = closing.initiateClose(code: .goingAway)
        #expect(closing.failConnection(code: .internalError) == .closeConnection(finalFrame: nil))
    }

    @Test func transportClosedStopsEverything() {
        var machine = WebSocketStateMachine()
        machine.transportClosed()
        #expect(machine.state == .closed)
        #expect(machine.receive(F.client(.text, "x")) == [])
    }

    // MARK: Timeouts

    static let second: UInt64 = 1_000_000_000
    static let timed = WebSocketStateMachine.Configuration(pingInterval: .seconds(30), pongTimeout: .seconds(10),
                                                           closeTimeout: .seconds(3))

    @Test func silentConnectionIsPingedThenFailedWhenThePingGoesUnanswered() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        let t0: UInt64 = 1_000 * Self.second
        #expect(machine.checkTimeouts(now: t0) == nil)                        // opening stamp
        #expect(machine.checkTimeouts(now: t0 + 29 * Self.second) == nil)
        guard case .write(let ping)? = machine.checkTimeouts(now: t0 + 30 * Self.second) else {
            Issue.record("expected a ping after 30 s of silence")
            return
        }
        var client = WebSocketFrameParser(configuration: .init(role: .client))
        guard case .ping? = client.parse(ping.bytes).first else {
            Issue.record("not a ping frame")
            return
        }
        #expect(machine.checkTimeouts(now: t0 + 35 * Self.second) == nil)     // waiting for the pong
        #expect(machine.checkTimeouts(now: t0 + 40 * Self.second) ==
                .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .goingAway, reason: "ping timeout")))
        #expect(machine.state == .closed)
        #expect(machine.checkTimeouts(now: t0 + 100 * Self.second) == nil)
    }

    @Test func pongKeepsAPingedConnectionAlive() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        var now: UInt64 = 5 * Self.second
        _ = machine.checkTimeouts(now: now)
        for _ in 0..<5 {
            now += 30 * Self.second
            guard case .write? = machine.checkTimeouts(now: now) else {
                Issue.record("expected a ping")
                return
            }
            #expect(machine.receive(F.client(.pong, [])) == [.pongReceived([])])
            now += 9 * Self.second
            #expect(machine.checkTimeouts(now: now) == nil)                   // pong counted here
        }
        #expect(machine.state == .open)
    }

    @Test func activeConnectionIsNeverPinged() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        var now: UInt64 = 0
        for i in 0..<20 {
            _ = machine.receive(F.client(.text, "move \(i)"))
            now += 20 * Self.second
            #expect(machine.checkTimeouts(now: now) == nil)
        }
    }

    @Test func successivePingsCarryDifferentPayloads() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        _ = machine.checkTimeouts(now: 0)
        let first = machine.checkTimeouts(now: 30 * Self.second)
        _ = machine.receive(F.client(.pong, []))
        _ = machine.checkTimeouts(now: 31 * Self.second)
        let second = machine.checkTimeouts(now: 61 * Self.second)
        #expect(first != nil && second != nil && first != second)
    }

    @Test func unansweredLocalCloseTimesOutAtTheSweep() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        _ = machine.checkTimeouts(now: 0)
        _ = machine.initiateClose(code: .goingAway)
        #expect(machine.checkTimeouts(now: 10 * Self.second) == nil)          // close stamped here
        #expect(machine.checkTimeouts(now: 12 * Self.second) == nil)
        #expect(machine.checkTimeouts(now: 13 * Self.second) == .closeConnection(finalFrame: nil))
        #expect(machine.state == .closed)
    }

    @Test func clockGoingBackwardsNeverExpiresAnything() {
        var machine = WebSocketStateMachine(configuration: Self.timed)
        _ = machine.checkTimeouts(now: 100 * Self.second)
        #expect(machine.checkTimeouts(now: 1) == nil)
        #expect(machine.state == .open)
    }

    @Test func durationsConvertToNanoseconds() {
        #expect(WebSocketStateMachine.nanoseconds(.seconds(3)) == 3 * Self.second)
        #expect(WebSocketStateMachine.nanoseconds(.milliseconds(250)) == 250_000_000)
        #expect(WebSocketStateMachine.nanoseconds(.seconds(-1)) == 0)
        #expect(WebSocketStateMachine.nanoseconds(.seconds(Int64.max)) == UInt64.max)
    }

    // MARK: Configuration

    @Test func maxMessageSizeIsConfigurable() {
        var machine = WebSocketStateMachine(configuration: .init(maxMessageSize: 16))
        let actions = machine.receive(F.client(.binary, [UInt8](repeating: 1, count: 16)) + F.client(.binary, [UInt8](repeating: 1, count: 17)))
        #expect(actions.first == .deliverBinary([UInt8](repeating: 1, count: 16)))
        #expect(machine.protocolError?.closeCode == .messageTooBig)
    }

    @Test func allocationFreeCoreMatchesConvenienceAPI() {
        let stream = Self.conversation
        var a = WebSocketStateMachine()
        let expected = a.receive(stream)
        var b = WebSocketStateMachine()
        var actions: [Action] = []
        stream.withUnsafeBytes { raw in
            var offset = 0
            while let action = b.nextAction(in: raw, consumed: &offset) { actions.append(action) }
            #expect(offset == raw.count)
        }
        #expect(actions == expected)
        #expect(expected.count == 4)
    }

    static let conversation = F.client(.text, "a") + F.client(.ping, [1]) + F.client(.binary, [2]) + F.clientClose(code: 1000)

    // MARK: Client role

    @Test func clientRoleAcceptsUnmaskedFramesAndMasksItsReplies() {
        var machine = WebSocketStateMachine(configuration: .init(role: .client))
        let actions = machine.receive(WebSocketFrameEncoder.text("hello").bytes + WebSocketFrameEncoder.ping([4, 2]).bytes)
        #expect(actions.count == 2)
        #expect(actions.first == .deliverText("hello"))
        guard case .write(let pong)? = actions.last else {
            Issue.record("expected a pong")
            return
        }
        #expect(pong.bytes[1] & 0x80 != 0)                 // masked
        var server = WebSocketFrameParser()                // a server parser demands masking
        #expect(server.parse(pong.bytes) == [.pong([4, 2])])
    }

    @Test func clientRoleRejectsMaskedFrames() {
        var machine = WebSocketStateMachine(configuration: .init(role: .client))
        _ = machine.receive(F.client(.text, "masked"))
        #expect(machine.protocolError == WebSocketProtocolError(.maskedFrame))
    }
}
