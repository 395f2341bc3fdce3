/// Micro-benchmarks of the WebSocket codec (parsing, UTF-8 validation, encoding, fan-out),
/// with no I/O — for `felt bench ws` to print. Run from a release build.
public enum WebSocketCodecBenchmark {
    /// One measured operation.
    public struct Measurement: Sendable, CustomStringConvertible {
        /// What was measured.
        public let name: String
        /// How many operations ran.
        public let operations: Int
        /// Payload bytes processed in total.
        public let bytes: Int
        /// Wall time for all operations, in seconds.
        public let seconds: Double
        /// A value derived from the results, so the work cannot be optimised away.
        public let checksum: Int

        /// Nanoseconds per operation.
        public var nanosecondsPerOperation: Double { seconds * 1e9 / Double(max(operations, 1)) }
        /// Payload throughput in MB/s (10^6 bytes).
        public var megabytesPerSecond: Double { seconds > 0 ? Double(bytes) / seconds / 1e6 : 0 }

        /// One line: name, ns/op, MB/s.
        public var description: String {
            let tenths = Int(nanosecondsPerOperation * 10 + 0.5)
            return "\(name): \(operations) ops, \(tenths / 10).\(tenths % 10) ns/op, \(Int(megabytesPerSecond + 0.5)) MB/s"
        }
    }

    /// The case names, in run order.
    public static let caseNames = [
        "parse text 32 B", "parse text 1 KiB", "parse binary 64 KiB", "parse text 64 KiB mixed UTF-8",
        "UTF-8 validate 1 MiB ASCII", "UTF-8 validate mixed", "unmask 64 KiB", "encode text 1 KiB",
        "broadcast 1 KiB to 10000 queues",
    ]

    /// Runs the cases whose name contains `filter` (all when nil); `scale` multiplies the
    /// iteration counts (1 takes about a second in a release build).
    public static func run(scale: Int = 1, filter: String? = nil) -> [Measurement] {
        let scale = max(1, scale)
        let key = WebSocketMaskingKey(0x12, 0x34, 0x56, 0x78)
        let ascii1K = [UInt8](repeating: UInt8(ascii: "a"), count: 1024)
        let mixed = Array(String(repeating: "pot €120 — κόσμε 𝄞 ", count: 2048).utf8)
        var results: [Measurement] = []
        for name in caseNames where filter.map({ name.contains($0) }) ?? true {
            switch name {
            case "parse text 32 B":
                results.append(parse(name: name, payload: Array(ascii1K.prefix(32)), opcode: .text, key: key, scale: scale))
            case "parse text 1 KiB":
                results.append(parse(name: name, payload: ascii1K, opcode: .text, key: key, scale: scale))
            case "parse binary 64 KiB":
                results.append(parse(name: name, payload: [UInt8](repeating: 7, count: 65536), opcode: .binary, key: key, scale: scale))
            case "parse text 64 KiB mixed UTF-8":
                results.append(parse(name: name, payload: Array(mixed.prefix(65536 - 3)), opcode: .text, key: key, scale: scale))
            case "UTF-8 validate 1 MiB ASCII":
                results.append(validate(name: name, bytes: [UInt8](repeating: 0x61, count: 1 << 20), scale: scale))
            case "UTF-8 validate mixed":
                results.append(validate(name: name, bytes: mixed, scale: scale))
            case "unmask 64 KiB":
                results.append(unmask(key: key, scale: scale))
            case "encode text 1 KiB":
                results.append(encode(payload: ascii1K, scale: scale))
            default:
                results.append(fanOut(payload: ascii1K, connections: 10_000, scale: scale))
            }
        }
        return results
    }

    static func time(_ body: () -> Int) -> (Double, Int) {
        let clock = ContinuousClock()
        var checksum = 0
        let elapsed = clock.measure { checksum = body() }
        let parts = elapsed.components
        return (Double(parts.seconds) + Double(parts.attoseconds) / 1e18, checksum)
    }

    /// Frames parsed through the state machine from a 64 KiB-ish read buffer of masked frames.
    static func parse(name: String, payload: [UInt8], opcode: WebSocketOpcode, key: WebSocketMaskingKey, scale: Int) -> Measurement {
        let frame = payload.withUnsafeBytes { WebSocketFrameEncoder.frame(opcode: opcode, payload: $0, maskingKey: key).bytes }
        let perBuffer = max(1, 65536 / frame.count)
        var buffer: [UInt8] = []
        buffer.reserveCapacity(perBuffer * frame.count)
        for _ in 0..<perBuffer { buffer += frame }
        let rounds = max(1, 200_000_000 * scale / (buffer.count * 10))
        var machine = WebSocketStateMachine(configuration: .init(maxMessageSize: 1 << 20))
        let (seconds, checksum) = time {
            var total = 0
            buffer.withUnsafeBytes { raw in
                for _ in 0..<rounds {
                    machine.receive(raw) { action in
                        switch action {
                        case .deliverText(let text): total &+= text.utf8.count
                        case .deliverBinary(let bytes): total &+= bytes.count
                        default: total &+= 1
                        }
                    }
                }
            }
            return total
        }
        return Measurement(name: name, operations: rounds * perBuffer, bytes: rounds * perBuffer * payload.count,
                           seconds: seconds, checksum: checksum)
    }

    static func validate(name: String, bytes: [UInt8], scale: Int) -> Measurement {
        let rounds = max(1, 100_000_000 * scale / bytes.count)
        let (seconds, checksum) = time {
            var valid = 0
            bytes.withUnsafeBytes { raw in
                for _ in 0..<rounds where WebSocketUTF8Validator.isValid(raw) { valid &+= 1 }
            }
            return valid
        }
        return Measurement(name: name, operations: rounds, bytes: rounds * bytes.count, seconds: seconds, checksum: checksum)
    }

    static func unmask(key: WebSocketMaskingKey, scale: Int) -> Measurement {
        var bytes = [UInt8](repeating: 0x55, count: 65536)
        let rounds = 3_000 * scale
        let (seconds, checksum) = time {
            bytes.withUnsafeMutableBytes { raw in
                for round in 0..<rounds { WebSocketMasking.apply(key, phase: round & 3, to: raw) }
            }
            return Int(bytes[0]) &+ Int(bytes[65535])
        }
        return Measurement(name: "unmask 64 KiB", operations: rounds, bytes: rounds * 65536, seconds: seconds, checksum: checksum)
    }

    static func encode(payload: [UInt8], scale: Int) -> Measurement {
        let rounds = 500_000 * scale
        let (seconds, checksum) = time {
            var total = 0
            for _ in 0..<rounds { total &+= WebSocketFrameEncoder.text(utf8: payload).count }
            return total
        }
        return Measurement(name: "encode text 1 KiB", operations: rounds, bytes: rounds * payload.count, seconds: seconds, checksum: checksum)
    }

    /// One encoding handed to `connections` outbound queues (what a broadcast costs the codec).
    static func fanOut(payload: [UInt8], connections: Int, scale: Int) -> Measurement {
        let rounds = 50 * scale
        var queues = [[WebSocketEncodedFrame]](repeating: [], count: connections)
        for index in queues.indices { queues[index].reserveCapacity(1) }
        let (seconds, checksum) = time {
            var total = 0
            for _ in 0..<rounds {
                let frame = WebSocketFrameEncoder.text(utf8: payload)
                for index in queues.indices {
                    queues[index].append(frame)
                    total &+= queues[index].count
                    queues[index].removeAll(keepingCapacity: true)
                }
            }
            return total
        }
        return Measurement(name: "broadcast 1 KiB to \(connections) queues", operations: rounds, bytes: rounds * payload.count,
                           seconds: seconds, checksum: checksum)
    }
}
