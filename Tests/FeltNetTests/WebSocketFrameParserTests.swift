import Testing
@testable import FeltNet

/// Helpers shared by the WebSocket test suites.
enum WebSocketFixture {
    static let key = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// A masked client frame (what a server receives).
    static func client(_ opcode: WebSocketOpcode, _ payload: [UInt8], fin: Bool = true, rsv: UInt8 = 0) -> [UInt8] {
        payload.withUnsafeBytes {
            WebSocketFrameEncoder.frame(opcode: opcode, payload: $0, fin: fin, rsv: rsv, maskingKey: key).bytes
        }
    }

    static func client(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> [UInt8] {
        client(opcode, Array(text.utf8), fin: fin)
    }

    static func clientClose(code: UInt16, reason: [UInt8] = []) -> [UInt8] {
        client(.close, [UInt8(code >> 8), UInt8(code & 0xFF)] + reason)
    }

    /// Parses `bytes` in one go with a server-role parser.
    static func parse(_ bytes: [UInt8], maxMessageSize: Int = 64 * 1024) -> [WebSocketFrameParser.Event] {
        var parser = WebSocketFrameParser(configuration: .init(maxMessageSize: maxMessageSize))
        return parser.parse(bytes)
    }

    /// Parses `bytes` split into the given chunk boundaries.
    static func parse(_ bytes: [UInt8], splitAt cuts: [Int], maxMessageSize: Int = 64 * 1024) -> [WebSocketFrameParser.Event] {
        var parser = WebSocketFrameParser(configuration: .init(maxMessageSize: maxMessageSize))
        var events: [WebSocketFrameParser.Event] = []
        var start = 0
        for cut in cuts + [bytes.count] {
            events += parser.parse(Array(bytes[start..<cut]))
            start = cut
        }
        return events
    }

    static func error(_ reason: WebSocketProtocolError.Reason) -> WebSocketFrameParser.Event {
        .protocolError(WebSocketProtocolError(reason))
    }
}

@Suite struct WebSocketFrameParserTests {
    typealias F = WebSocketFixture

    // MARK: RFC 6455 §5.7 examples (hand-written bytes, independent of the encoder)

    @Test func rfcUnmaskedTextFrameIsAcceptedByAClientParser() {
        var parser = WebSocketFrameParser(configuration: .init(role: .client))
        #expect(parser.parse([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]) == [.text("Hello")])
    }

    @Test func rfcMaskedTextFrameIsDecoded() {
        let frame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(F.parse(frame) == [.text("Hello")])
    }

    @Test func rfcFragmentedUnmaskedTextIsReassembled() {
        var parser = WebSocketFrameParser(configuration: .init(role: .client))
        #expect(parser.parse([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F]) == [.text("Hello")])
    }

    @Test func rfcMaskedPongIsDecoded() {
        let frame: [UInt8] = [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        #expect(F.parse(frame) == [.pong(Array("Hello".utf8))])
    }

    @Test func rfc16BitLengthBinaryFrameIsDecoded() {
        var parser = WebSocketFrameParser(configuration: .init(role: .client))
        let payload = (0..<256).map { UInt8($0) }
        #expect(parser.parse([0x82, 0x7E, 0x01, 0x00] + payload) == [.binary(payload)])
    }

    @Test func rfc64BitLengthBinaryFrameIsDecoded() {
        var parser = WebSocketFrameParser(configuration: .init(role: .client))
        let payload = (0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let header: [UInt8] = [0x82, 0x7F, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00]
        #expect(parser.parse(header + payload) == [.binary(payload)])
    }

    // MARK: Splitting

    static let sampleStream: [UInt8] =
        F.client(.text, "Hello, κόσμε 𝄞") +
        F.client(.ping, Array("are you there?".utf8)) +
        F.client(.binary, (0..<200).map { UInt8($0) }) +                // 16-bit length
        F.client(.text, "frag-", fin: false) +
        F.client(.pong, [1, 2, 3]) +
        F.client(.continuation, "μ", fin: false) +                      // 2-byte char in its own fragment
        F.client(.continuation, "ent", fin: true) +
        F.client(.text, "") +
        F.clientClose(code: 1000, reason: Array("bye".utf8))

    static let sampleEvents: [WebSocketFrameParser.Event] = [
        .text("Hello, κόσμε 𝄞"),
        .ping(Array("are you there?".utf8)),
        .binary((0..<200).map { UInt8($0) }),
        .pong([1, 2, 3]),
        .text("frag-μent"),
        .text(""),
        .close(code: WebSocketCloseCode(1000), reason: "bye"),
    ]

    @Test func sampleStreamParsesInOneChunk() {
        #expect(F.parse(Self.sampleStream) == Self.sampleEvents)
    }

    @Test func sampleStreamParsesWhenSplitAtEveryByte() {
        for cut in 0...Self.sampleStream.count {
            #expect(F.parse(Self.sampleStream, splitAt: [cut]) == Self.sampleEvents, "cut at \(cut)")
        }
    }

    @Test func sampleStreamParsesOneByteAtATime() {
        #expect(F.parse(Self.sampleStream, splitAt: Array(1..<Self.sampleStream.count)) == Self.sampleEvents)
    }

    @Test func smallFramesParseWithEveryPairOfSplits() {
        let stream = F.client(.text, "añ€𝄞", fin: false) + F.client(.ping, [9]) + F.client(.continuation, "z")
        let expected: [WebSocketFrameParser.Event] = [.ping([9]), .text("añ€𝄞z")]
        for a in 0...stream.count {
            for b in a...stream.count {
                #expect(F.parse(stream, splitAt: [a, b]) == expected, "cuts \(a), \(b)")
            }
        }
    }

    @Test func headerSplitAcross64BitLengthIsReassembled() {
        let payload = [UInt8](repeating: 0x61, count: 70_000)
        let frame = F.client(.binary, payload)
        #expect(frame[1] & 0x7F == 127)
        for cut in 1..<14 {
            #expect(F.parse(frame, splitAt: [cut], maxMessageSize: 100_000) == [.binary(payload)], "cut \(cut)")
        }
    }

    @Test func maskingKeyPhaseIsKeptAcrossChunks() {
        // Odd chunk sizes force every mask phase in the unmasking code.
        let payload = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        let frame = F.client(.binary, payload)
        var cuts: [Int] = []
        var position = 0
        var step = 1
        while position + step < frame.count { position += step; cuts.append(position); step = step % 13 + 1 }
        #expect(F.parse(frame, splitAt: cuts) == [.binary(payload)])
    }

    // MARK: Masking

    @Test func serverRejectsUnmaskedFrame() {
        #expect(F.parse([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F]) == [F.error(.unmaskedFrame)])
        #expect(WebSocketProtocolError(.unmaskedFrame).closeCode == .protocolError)
    }

    @Test func clientRejectsMaskedFrame() {
        var parser = WebSocketFrameParser(configuration: .init(role: .client))
        #expect(parser.parse(F.client(.text, "hi")) == [F.error(.maskedFrame)])
    }

    @Test func emptyMaskedFrameStillNeedsItsMaskingKey() {
        // 0x80 mask bit with length 0: four key bytes follow, then the next frame.
        let stream: [UInt8] = [0x81, 0x80, 1, 2, 3, 4] + F.client(.text, "x")
        #expect(F.parse(stream) == [.text(""), .text("x")])
    }

    // MARK: Fragmentation

    @Test func controlFramesInterleavedWithFragmentsAreDeliveredInBetween() {
        let stream = F.client(.binary, [1], fin: false) + F.client(.ping, [0xAA]) +
            F.client(.continuation, [2], fin: false) + F.client(.pong, []) + F.client(.ping, []) +
            F.client(.continuation, [3], fin: true)
        #expect(F.parse(stream) == [.ping([0xAA]), .pong([]), .ping([]), .binary([1, 2, 3])])
    }

    @Test func continuationWithoutStartIsAProtocolError() {
        #expect(F.parse(F.client(.continuation, "x")) == [F.error(.unexpectedContinuation)])
        // Also after a completed message.
        #expect(F.parse(F.client(.text, "a") + F.client(.continuation, "x")) == [.text("a"), F.error(.unexpectedContinuation)])
    }

    @Test func newDataFrameDuringFragmentationIsAProtocolError() {
        #expect(F.parse(F.client(.text, "a", fin: false) + F.client(.text, "b")) == [F.error(.expectedContinuation)])
        #expect(F.parse(F.client(.binary, [1], fin: false) + F.client(.text, "b")) == [F.error(.expectedContinuation)])
    }

    @Test func fragmentedMessageWithManyEmptyFragmentsIsReassembled() {
        var stream = F.client(.text, "", fin: false)
        for _ in 0..<10 { stream += F.client(.continuation, "", fin: false) }
        stream += F.client(.continuation, "end")
        #expect(F.parse(stream) == [.text("end")])
    }

    // MARK: Framing errors

    @Test(arguments: [0x10, 0x20, 0x40, 0x70] as [UInt8])
    func reservedBitsAreAProtocolError(rsv: UInt8) {
        var frame = F.client(.text, "x")
        frame[0] |= rsv
        let events = F.parse(frame)
        #expect(events == [F.error(.reservedBitsSet)])
    }

    @Test(arguments: [3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF] as [UInt8])
    func reservedOpcodesAreAProtocolError(opcode: UInt8) {
        let frame = [UInt8]().withUnsafeBytes {
            WebSocketFrameEncoder.frame(rawOpcode: opcode, payload: $0, maskingKey: F.key).bytes
        }
        #expect(F.parse(frame) == [F.error(.unknownOpcode)])
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func fragmentedControlFrameIsAProtocolError(opcode: WebSocketOpcode) {
        #expect(F.parse(F.client(opcode, [], fin: false)) == [F.error(.fragmentedControlFrame)])
    }

    @Test(arguments: [WebSocketOpcode.ping, .pong, .close])
    func controlFrameOver125BytesIsAProtocolError(opcode: WebSocketOpcode) {
        #expect(F.parse(F.client(opcode, [UInt8](repeating: 0x30, count: 126))) == [F.error(.controlFrameTooLong)])
        // Exactly 125 is fine for ping/pong.
        if opcode != .close {
            let payload = [UInt8](repeating: 0x30, count: 125)
            #expect(F.parse(F.client(opcode, payload)) == [opcode == .ping ? .ping(payload) : .pong(payload)])
        }
    }

    @Test func controlFrameTooLongIsDetectedFromTheHeaderAlone() {
        // Only the header of a 16-bit-length ping: no payload bytes needed to fail.
        #expect(F.parse([0x89, 0xFE, 0x00, 0x7E, 1, 2, 3, 4]) == [F.error(.controlFrameTooLong)])
    }

    @Test func sixtyFourBitLengthWithMostSignificantBitIsAProtocolError() {
        let header: [UInt8] = [0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4]
        #expect(F.parse(header) == [F.error(.invalidPayloadLength)])
        #expect(F.parse(header, splitAt: [3, 9]) == [F.error(.invalidPayloadLength)])
    }

    @Test func parserIgnoresInputAfterAnError() {
        var fresh = WebSocketFrameParser()
        #expect(fresh.parse([0x91, 0x80, 0, 0, 0, 0]) == [F.error(.reservedBitsSet)])
        #expect(fresh.isFinished)
        #expect(fresh.parse(F.client(.text, "ignored")) == [])
    }

    // MARK: Message size

    @Test func messageAtTheLimitIsAccepted() {
        let payload = [UInt8](repeating: 0x62, count: 64 * 1024)
        #expect(F.parse(F.client(.binary, payload)) == [.binary(payload)])
    }

    @Test func declaredLengthOverTheLimitFailsWith1009BeforeAnyPayload() {
        let frame = F.client(.binary, [UInt8](repeating: 0, count: 64 * 1024 + 1))
        // Only the header (2 + 8 + 4 bytes) is fed: the error comes without buffering payload.
        var parser = WebSocketFrameParser()
        let events = parser.parse(Array(frame[..<14]))
        #expect(events == [F.error(.messageTooBig)])
        #expect(WebSocketProtocolError(.messageTooBig).closeCode == .messageTooBig)
    }

    @Test func hugeDeclaredLengthFailsWith1009() {
        let header: [UInt8] = [0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4]
        #expect(F.parse(header) == [F.error(.messageTooBig)])
    }

    @Test func fragmentsAddingUpOverTheLimitFailWith1009() {
        let half = [UInt8](repeating: 0x63, count: 600)
        let stream = F.client(.binary, half, fin: false) + F.client(.continuation, half, fin: false)
        #expect(F.parse(stream, maxMessageSize: 1000) == [F.error(.messageTooBig)])
        // The first fragment alone is fine; the failure comes at the second header.
        var parser = WebSocketFrameParser(configuration: .init(maxMessageSize: 1000))
        #expect(parser.parse(F.client(.binary, half, fin: false)) == [])
        #expect(parser.parse(Array(F.client(.continuation, half, fin: false)[..<8])) == [F.error(.messageTooBig)])
    }

    @Test func limitIsPerMessageNotPerConnection() {
        let payload = [UInt8](repeating: 0x64, count: 800)
        let stream = F.client(.binary, payload) + F.client(.binary, payload)
        #expect(F.parse(stream, maxMessageSize: 1000) == [.binary(payload), .binary(payload)])
    }

    @Test func controlFramesDoNotCountTowardTheMessageSize() {
        let part = [UInt8](repeating: 0x65, count: 500)
        let stream = F.client(.binary, part, fin: false) + F.client(.ping, [UInt8](repeating: 1, count: 125)) +
            F.client(.continuation, part)
        #expect(F.parse(stream, maxMessageSize: 1000) == [.ping([UInt8](repeating: 1, count: 125)), .binary(part + part)])
    }

    // MARK: UTF-8

    @Test func invalidUTF8TextFailsWith1007() {
        #expect(F.parse(F.client(.text, [0x61, 0xC0, 0x80])) == [F.error(.invalidUTF8)])
        #expect(WebSocketProtocolError(.invalidUTF8).closeCode == .invalidPayloadData)
    }

    @Test func binaryIsNotValidatedAsUTF8() {
        #expect(F.parse(F.client(.binary, [0xC0, 0x80, 0xFF])) == [.binary([0xC0, 0x80, 0xFF])])
    }

    @Test func invalidUTF8FailsFastInTheFirstFragment() {
        // The bad byte is in fragment 1; fragment 2 never arrives.
        var parser = WebSocketFrameParser()
        #expect(parser.parse(F.client(.text, [0x61, 0xED, 0xA0, 0x80], fin: false)) == [F.error(.invalidUTF8)])
    }

    @Test func invalidUTF8FailsFastInsideAPartiallyReceivedFrame() {
        // One frame, delivered in chunks: the error comes with the chunk holding the bad byte.
        let valid = Array("κόσμε".utf8)
        let payload = valid + [0xF4, 0x90, 0x80, 0x80] + Array("edited".utf8)
        let frame = F.client(.text, payload)
        let bad = 6 + valid.count   // header (2 + 4 key bytes) + valid text: offset of F4
        var parser = WebSocketFrameParser()
        #expect(parser.parse(Array(frame[..<bad])) == [])                  // valid part
        #expect(parser.parse(Array(frame[bad..<(bad + 1)])) == [])         // F4 is a valid prefix
        #expect(parser.parse(Array(frame[(bad + 1)..<(bad + 2)])) == [F.error(.invalidUTF8)])  // 90 is not
    }

    @Test func characterSplitAcrossFragmentsIsValid() {
        let euro: [UInt8] = [0xE2, 0x82, 0xAC]
        let stream = F.client(.text, Array(euro[..<1]), fin: false) + F.client(.continuation, Array(euro[1..<2]), fin: false) +
            F.client(.continuation, Array(euro[2...]))
        #expect(F.parse(stream) == [.text("€")])
    }

    @Test func messageEndingInsideACharacterFailsWith1007() {
        let stream = F.client(.text, [0x61, 0xE2], fin: false) + F.client(.continuation, [0x82])
        #expect(F.parse(stream) == [F.error(.invalidUTF8)])
    }

    // MARK: Close frames

    @Test func emptyCloseHasNoCode() {
        #expect(F.parse(F.client(.close, [])) == [.close(code: nil, reason: "")])
    }

    @Test func closeWithOneBytePayloadIsAProtocolError() {
        #expect(F.parse(F.client(.close, [0x03])) == [F.error(.invalidClosePayload)])
    }

    @Test func closeCodeTableMatchesRFC6455() {
        var valid: [UInt16] = []
        for code in UInt16.min...UInt16.max where WebSocketCloseCode(code).isValidOnWire { valid.append(code) }
        let expected = Array(1000...1003) + Array(1007...1011) + Array(3000...4999)
        #expect(valid == expected.map { UInt16($0) })
    }

    @Test(arguments: [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 3000, 3999, 4000, 4999] as [UInt16])
    func validCloseCodesAreDelivered(code: UInt16) {
        #expect(F.parse(F.clientClose(code: code, reason: Array("ok".utf8))) == [.close(code: WebSocketCloseCode(code), reason: "ok")])
    }

    @Test(arguments: [0, 999, 1004, 1005, 1006, 1012, 1013, 1014, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16])
    func invalidCloseCodesAreAProtocolError(code: UInt16) {
        #expect(F.parse(F.clientClose(code: code)) == [F.error(.invalidCloseCode)])
    }

    @Test func closeReasonMustBeUTF8() {
        #expect(F.parse(F.clientClose(code: 1000, reason: [0xCE, 0xBA, 0xED, 0xA0, 0x80])) == [F.error(.invalidUTF8)])
        #expect(F.parse(F.clientClose(code: 1000, reason: Array("κόσμε".utf8))) == [.close(code: .normalClosure, reason: "κόσμε")])
    }

    @Test func closeEndsParsing() {
        #expect(F.parse(F.clientClose(code: 1000) + F.client(.text, "late")) == [.close(code: .normalClosure, reason: "")])
    }

    // MARK: Error codes

    @Test func everyViolationHasAStableUniqueCodeAndTheRightCloseCode() {
        let reasons = WebSocketProtocolError.Reason.allCases
        #expect(Set(reasons.map(\.rawValue)).count == reasons.count)
        for reason in reasons {
            let error = WebSocketProtocolError(reason)
            #expect(error.code.hasPrefix("ws_"))
            #expect(!error.message.isEmpty)
            switch reason {
            case .messageTooBig: #expect(error.closeCode.rawValue == 1009)
            case .invalidUTF8: #expect(error.closeCode.rawValue == 1007)
            default: #expect(error.closeCode.rawValue == 1002)
            }
        }
    }
}
