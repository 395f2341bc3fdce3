/// Reads the server's WebSocket frames for a bot, in place: a complete text frame in the
/// receive buffer is handed over as a pointer into it (no copy, no `String`); only a frame split
/// across reads, or a fragmented message, is copied. The server's frames are unmasked (RFC 6455
/// §5.1); a masked frame, reserved bits, or an oversized or fragmented control frame is a
/// protocol error. Text is not UTF-8 validated: the bots only look for ASCII keys in it.
struct BotFrameReader {
    /// What one frame means for the bot.
    enum Frame {
        /// A complete text message (valid only during the callback).
        case text(UnsafeBufferPointer<UInt8>)
        /// A ping to answer with a pong carrying this payload.
        case ping([UInt8])
        /// The server closes the connection.
        case close
        /// The stream broke the protocol; the connection must be dropped.
        case protocolError(String)
    }

    /// The largest message accepted.
    let maxMessageSize: Int
    /// Bytes of a frame not complete yet.
    private var carry: [UInt8] = []
    /// The text of a fragmented message so far.
    private var fragments: [UInt8] = []
    /// Whether a fragmented message is in progress, and whether it is text.
    private var fragmentedKind: UInt8?
    /// Set after a protocol error or a close: everything after it is ignored.
    private(set) var finished = false

    init(maxMessageSize: Int = 1 << 20) { self.maxMessageSize = maxMessageSize }

    /// Feeds received bytes; `deliver` gets each frame in order and returns false to stop
    /// (e.g. the socket was closed). Pongs, binary messages and empty continuations are skipped.
    mutating func read(_ bytes: UnsafeRawBufferPointer, _ deliver: (Frame) -> Bool) {
        guard !finished, bytes.count > 0 else { return }
        if carry.isEmpty {
            let input = bytes.bindMemory(to: UInt8.self)
            let used = frames(in: input, deliver)
            if !finished, used < input.count { carry.append(contentsOf: input[used...]) }
        } else {
            carry.append(contentsOf: bytes.bindMemory(to: UInt8.self))
            let pending = carry
            carry = []
            let used = pending.withUnsafeBufferPointer { frames(in: $0, deliver) }
            if !finished, used < pending.count { carry = Array(pending[used...]) }
        }
    }

    /// Delivers the complete frames at the start of `b`; returns how many bytes they took.
    private mutating func frames(in b: UnsafeBufferPointer<UInt8>, _ deliver: (Frame) -> Bool) -> Int {
        var at = 0
        while b.count - at >= 2 {
            let first = b[at], second = b[at + 1]
            let fin = first & 0x80 != 0
            let opcode = first & 0x0F
            guard first & 0x70 == 0 else { return fail("reserved bits set", deliver) }
            guard second & 0x80 == 0 else { return fail("masked frame from the server", deliver) }
            var length = Int(second & 0x7F)
            var header = 2
            if length == 126 {
                guard b.count - at >= 4 else { return at }
                length = Int(b[at + 2]) << 8 | Int(b[at + 3])
                header = 4
            } else if length == 127 {
                guard b.count - at >= 10 else { return at }
                var value: UInt64 = 0
                for i in 0..<8 { value = value << 8 | UInt64(b[at + 2 + i]) }
                guard value <= UInt64(maxMessageSize) else { return fail("message too big", deliver) }
                length = Int(value)
                header = 10
            }
            guard length <= maxMessageSize else { return fail("message too big", deliver) }
            guard b.count - at - header >= length else { return at }
            let payload = UnsafeBufferPointer(rebasing: b[(at + header)..<(at + header + length)])
            at += header + length
            if opcode >= 8 {
                guard fin, length <= 125 else { return fail("fragmented or long control frame", deliver) }
            }
            var keepGoing = true
            switch opcode {
            case 0x1, 0x2:
                guard fragmentedKind == nil else { return fail("new message inside a fragmented one", deliver) }
                if fin {
                    if opcode == 0x1 { keepGoing = deliver(.text(payload)) }
                } else {
                    fragmentedKind = opcode
                    fragments = Array(payload)
                }
            case 0x0:
                guard let kind = fragmentedKind else { return fail("continuation without a message", deliver) }
                guard fragments.count + length <= maxMessageSize else { return fail("message too big", deliver) }
                fragments.append(contentsOf: payload)
                if fin {
                    fragmentedKind = nil
                    let message = fragments
                    fragments = []
                    if kind == 0x1 { keepGoing = message.withUnsafeBufferPointer { deliver(.text($0)) } }
                }
            case 0x8:
                finished = true
                _ = deliver(.close)
                return at
            case 0x9:
                keepGoing = deliver(.ping(Array(payload)))
            case 0xA:
                break
            default:
                return fail("unknown opcode \(opcode)", deliver)
            }
            if !keepGoing {
                finished = true
                return at
            }
        }
        return at
    }

    private mutating func fail(_ reason: String, _ deliver: (Frame) -> Bool) -> Int {
        finished = true
        _ = deliver(.protocolError(reason))
        return 0
    }
}
