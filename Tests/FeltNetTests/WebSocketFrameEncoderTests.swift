import Testing
@testable import FeltNet

@Suite struct WebSocketFrameEncoderTests {
    static func decodeAsClient(_ frame: WebSocketEncodedFrame) -> [WebSocketFrameParser.Event] {
        var parser = WebSocketFrameParser(configuration: .init(maxMessageSize: 1 << 20, role: .client))
        return parser.parse(frame.bytes)
    }

    @Test func unmaskedTextMatchesRFCExampleBytes() {
        #expect(WebSocketFrameEncoder.text("Hello").bytes == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func maskedTextMatchesRFCExampleBytes() {
        let frame = WebSocketFrameEncoder.text("Hello", maskingKey: WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D))
        #expect(frame.bytes == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test(arguments: [0, 1, 125, 126, 127, 65535, 65536, 70_000])
    func lengthEncodingUsesTheShortestForm(length: Int) {
        let payload = [UInt8](repeating: 0x5A, count: length)
        let frame = WebSocketFrameEncoder.binary(payload)
        let headerSize = length <= 125 ? 2 : (length <= 65535 ? 4 : 10)
        #expect(frame.count == headerSize + length)
        #expect(frame.bytes[0] == 0x82)
        switch headerSize {
        case 2: #expect(frame.bytes[1] == UInt8(length))
        case 4:
            #expect(frame.bytes[1] == 126)
            #expect(Int(frame.bytes[2]) << 8 | Int(frame.bytes[3]) == length)
        default:
            #expect(frame.bytes[1] == 127)
            var value = 0
            for i in 2..<10 { value = value << 8 | Int(frame.bytes[i]) }
            #expect(value == length)
        }
        #expect(Self.decodeAsClient(frame) == [.binary(payload)])
    }

    @Test func serverFramesAreUnmasked() {
        for frame in [WebSocketFrameEncoder.text("x"), WebSocketFrameEncoder.binary([1]), WebSocketFrameEncoder.ping([]),
                      WebSocketFrameEncoder.pong([2]), WebSocketFrameEncoder.close(code: .normalClosure)] {
            #expect(frame.bytes[1] & 0x80 == 0)
        }
    }

    @Test func controlFramesRoundTrip() {
        #expect(Self.decodeAsClient(WebSocketFrameEncoder.ping([1, 2, 3])) == [.ping([1, 2, 3])])
        #expect(Self.decodeAsClient(WebSocketFrameEncoder.pong([4])) == [.pong([4])])
        #expect(Self.decodeAsClient(WebSocketFrameEncoder.close(code: .goingAway, reason: "shutdown")) == [.close(code: .goingAway, reason: "shutdown")])
        #expect(Self.decodeAsClient(WebSocketFrameEncoder.emptyClose()) == [.close(code: nil, reason: "")])
        #expect(WebSocketFrameEncoder.close(code: .normalClosure).bytes == [0x88, 0x02, 0x03, 0xE8])
    }

    @Test func pingPayloadIsTruncatedTo125Bytes() {
        let frame = WebSocketFrameEncoder.ping([UInt8](repeating: 7, count: 300))
        #expect(frame.count == 2 + 125)
        #expect(Self.decodeAsClient(frame) == [.ping([UInt8](repeating: 7, count: 125))])
    }

    @Test func closeReasonIsTruncatedAtACharacterBoundary() {
        let reason = String(repeating: "€", count: 60)   // 180 bytes
        let frame = WebSocketFrameEncoder.close(code: .goingAway, reason: reason)
        #expect(frame.count <= 2 + 125)
        guard case .close(let code, let decoded)? = Self.decodeAsClient(frame).first else {
            Issue.record("not a close frame")
            return
        }
        #expect(code == .goingAway)
        #expect(decoded == String(repeating: "€", count: 41))   // 123 bytes / 3
    }

    @Test func maskedFramesOfEveryLengthRoundTripThroughAServerParser() {
        let key = WebSocketMaskingKey(0xA1, 0x02, 0xF3, 0x44)
        for length in 0..<40 {
            let payload = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 29 &+ 3) }
            let frame = WebSocketFrameEncoder.binary(payload, maskingKey: key)
            var parser = WebSocketFrameParser()
            #expect(parser.parse(frame.bytes) == [.binary(payload)])
        }
    }

    @Test func textFromUTF8BytesEqualsTextFromString() {
        let text = "{\"type\":\"state\",\"pot\":120,\"name\":\"Zoë\"}"
        #expect(WebSocketFrameEncoder.text(utf8: Array(text.utf8)) == WebSocketFrameEncoder.text(text))
    }

    @Test func copiesOfAnEncodedFrameShareOneBuffer() {
        let frame = WebSocketFrameEncoder.text(String(repeating: "x", count: 1024))
        let copies = Array(repeating: frame, count: 100)
        let base = frame.withUnsafeBytes { $0.baseAddress }
        for copy in copies { #expect(copy.withUnsafeBytes { $0.baseAddress } == base) }
    }

    @Test func maskingIsItsOwnInverseAtEveryPhase() {
        let key = WebSocketMaskingKey(1, 2, 4, 8)
        let original = (0..<37).map { UInt8($0) }
        for phase in 0..<4 {
            var bytes = original
            bytes.withUnsafeMutableBytes { WebSocketMasking.apply(key, phase: phase, to: $0) }
            for (i, byte) in bytes.enumerated() {
                #expect(byte == original[i] ^ key.byte(phase + i))
            }
            bytes.withUnsafeMutableBytes { WebSocketMasking.apply(key, phase: phase, to: $0) }
            #expect(bytes == original)
        }
    }
}
