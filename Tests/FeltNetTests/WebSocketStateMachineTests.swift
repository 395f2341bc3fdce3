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
        #expect(machine.idleTimerFired() == nil)
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

    @Test func localCloseTimesOutWhenThePeerNeverAnswers() {
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

    // MARK: Liveness

    @Test func idleConnectionIsPingedThenClosedWhenItNeverAnswers() {
        var machine = WebSocketStateMachine()
        guard case .write(let ping)? = machine.idleTimerFired() else {
            Issue.record("expected a ping")
            return
        }
        var client = WebSocketFrameParser(configuration: .init(role: .client))
        guard case .ping? = client.parse(ping.bytes).first else {
            Issue.record("not a ping frame")
            return
        }
        #expect(machine.idleTimerFired() == .closeConnection(finalFrame: WebSocketFrameEncoder.close(code: .goingAway, reason: "ping timeout")))
        #expect(machine.state == .closed)
    }

    @Test func pongKeepsAnIdleConnectionAlive() {
        var machine = WebSocketStateMachine()
        for _ in 0..<5 {
            guard case .write? = machine.idleTimerFired() else {
                Issue.record("expected a ping")
                return
            }
            #expect(machine.receive(F.client(.pong, [])) == [.pongReceived([])])
            #expect(machine.idleTimerFired() == nil)   // traffic since the last tick
        }
        #expect(machine.state == .open)
    }

    @Test func activeConnectionIsNeverPinged() {
        var machine = WebSocketStateMachine()
        for i in 0..<5 {
            _ = machine.receive(F.client(.text, "move \(i)"))
            #expect(machine.idleTimerFired() == nil)
        }
    }

    @Test func successivePingsCarryDifferentPayloads() {
        var machine = WebSocketStateMachine()
        let first = machine.idleTimerFired()
        _ = machine.receive(F.client(.pong, []))
        _ = machine.idleTimerFired()
        let second = machine.idleTimerFired()
        #expect(first != nil && second != nil && first != second)
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
