import FeltTestSupport
import Testing
@testable import FeltNet

@Suite struct WebSocketRandomizedTests {
    typealias F = WebSocketFixture

    /// Valid frames to mutate.
    static let seeds: [[UInt8]] = [
        F.client(.text, "Hello, κόσμε"),
        F.client(.binary, (0..<300).map { UInt8(truncatingIfNeeded: $0) }),
        F.client(.text, "frag", fin: false) + F.client(.ping, [1, 2]) + F.client(.continuation, "ment"),
        F.clientClose(code: 1000, reason: Array("bye".utf8)),
        F.client(.pong, [UInt8](repeating: 3, count: 125)),
    ]

    /// Feeds a machine random chunks; checks it never crashes and keeps its invariants.
    static func feed(_ bytes: [UInt8], rng: inout SplitMix64) {
        var machine = WebSocketStateMachine(configuration: .init(maxMessageSize: 4096))
        var start = 0
        var closed = false
        while start < bytes.count {
            let length = 1 + Int(rng.next() % UInt64(min(64, bytes.count - start)))
            let actions = machine.receive(Array(bytes[start..<(start + length)]))
            start += length
            for action in actions {
                #expect(!closed, "action after closeConnection")
                if case .closeConnection = action { closed = true }
            }
        }
        #expect(closed == (machine.state == .closed))
    }

    @Test func randomBytesNeverCrashTheStateMachine() {
        var rng = SplitMix64(seed: 0xFE17)
        for _ in 0..<3_000 {
            let count = Int(rng.next() % 200)
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            for _ in 0..<count { bytes.append(UInt8(truncatingIfNeeded: rng.next())) }
            // Half the time, set the mask bit of the first frame so that more input gets past it.
            if bytes.count > 1 && rng.next() & 1 == 0 { bytes[1] |= 0x80 }
            Self.feed(bytes, rng: &rng)
        }
    }

    @Test func mutatedAndTruncatedFramesNeverCrashTheStateMachine() {
        var rng = SplitMix64(seed: 0xC0FFEE)
        for _ in 0..<3_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + rng.next() % 4) { bytes += Self.seeds[Int(rng.next() % UInt64(Self.seeds.count))] }
            for _ in 0..<(rng.next() % 4) {
                let index = Int(rng.next() % UInt64(bytes.count))
                switch rng.next() % 3 {
                case 0: bytes[index] ^= UInt8(truncatingIfNeeded: 1 << (rng.next() % 8))
                case 1: bytes[index] = UInt8(truncatingIfNeeded: rng.next())
                default: bytes.removeSubrange(index...)
                }
                if bytes.isEmpty { break }
            }
            Self.feed(bytes, rng: &rng)
        }
    }

    @Test func randomValidTrafficRoundTripsUnderRandomSplits() {
        var rng = SplitMix64(seed: 7)
        let alphabet = Array("aZ09 éß€𝄞κ".unicodeScalars)
        for _ in 0..<300 {
            var stream: [UInt8] = []
            var expected: [WebSocketStateMachine.Action] = []
            for _ in 0..<(1 + rng.next() % 6) {
                var text = ""
                for _ in 0..<(rng.next() % 40) { text.unicodeScalars.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
                let utf8 = Array(text.utf8)
                // Fragment at random byte positions (possibly inside a character).
                let cut = utf8.isEmpty ? 0 : Int(rng.next() % UInt64(utf8.count + 1))
                if rng.next() & 1 == 0 {
                    stream += F.client(.text, Array(utf8[..<cut]), fin: false)
                    stream += F.client(.ping, [UInt8(cut & 0x7F)])
                    expected.append(.write(WebSocketFrameEncoder.pong([UInt8(cut & 0x7F)])))
                    stream += F.client(.continuation, Array(utf8[cut...]))
                } else {
                    stream += F.client(.text, utf8)
                }
                expected.append(.deliverText(text))
            }
            var machine = WebSocketStateMachine()
            var actions: [WebSocketStateMachine.Action] = []
            var start = 0
            while start < stream.count {
                let length = 1 + Int(rng.next() % UInt64(stream.count - start))
                actions += machine.receive(Array(stream[start..<(start + length)]))
                start += length
            }
            #expect(actions == expected)
        }
    }

    @Test func eventsDoNotDependOnHowMutatedInputIsChunked() {
        // Differential property: one-shot parsing and random chunking agree, errors included.
        var rng = SplitMix64(seed: 0xD1FF)
        for _ in 0..<2_000 {
            var bytes: [UInt8] = []
            for _ in 0..<(1 + rng.next() % 4) { bytes += Self.seeds[Int(rng.next() % UInt64(Self.seeds.count))] }
            if rng.next() % 3 != 0 {
                let index = Int(rng.next() % UInt64(bytes.count))
                bytes[index] = UInt8(truncatingIfNeeded: rng.next())
            }
            let whole = F.parse(bytes, maxMessageSize: 4096)
            var cuts: [Int] = []
            var position = 0
            while true {
                position += 1 + Int(rng.next() % 17)
                if position >= bytes.count { break }
                cuts.append(position)
            }
            #expect(F.parse(bytes, splitAt: cuts, maxMessageSize: 4096) == whole)
        }
    }
}
