/// An incremental WebSocket frame and message parser (RFC 6455 §5), with no I/O.
///
/// Feed it bytes as they arrive, split anywhere; it yields whole messages and control frames:
///
/// ```swift
/// var parser = WebSocketFrameParser()
/// for event in parser.parse(bytes) { … }            // convenience, allocates an array
/// // or, allocation-free, one event at a time:
/// var offset = 0
/// while let event = parser.nextEvent(in: buffer, consumed: &offset) { … }
/// ```
///
/// It enforces the protocol for its role (`.server` by default): client frames must be
/// masked, RSV bits zero, opcodes known, control frames ≤ 125 bytes and unfragmented, 64-bit
/// lengths with the top bit clear, continuation frames only inside a fragmented message, and
/// a new data frame only outside one (all 1002). A message whose declared size exceeds
/// `maxMessageSize` fails with 1009 as soon as the frame header says so, before any payload is
/// buffered. Text is validated as UTF-8 while it arrives, across fragments and partial reads,
/// and fails (1007) at the first impossible byte. Close payloads: length 1 → 1002, a code
/// invalid on the wire → 1002, a reason that is not UTF-8 → 1007.
///
/// Control frames that arrive between the fragments of a message are yielded in between.
/// After a `.close` or `.protocolError` event the parser ignores all further input.
public struct WebSocketFrameParser: Sendable {
    /// Which end of the connection this parser sits at.
    public enum Role: Sendable, Hashable {
        /// Parses frames from a client: every frame must be masked.
        case server
        /// Parses frames from a server: no frame may be masked.
        case client
    }

    /// Parser limits.
    public struct Configuration: Sendable, Hashable {
        /// Largest accepted message (sum of its fragments' payloads), in bytes. Default 64 KiB.
        public var maxMessageSize: Int
        /// Which end of the connection the parser sits at. Default `.server`.
        public var role: Role

        /// Creates a configuration.
        public init(maxMessageSize: Int = 64 * 1024, role: Role = .server) {
            self.maxMessageSize = max(0, maxMessageSize)
            self.role = role
        }
    }

    /// What the parser recognised.
    public enum Event: Sendable, Hashable {
        /// A complete text message (validated UTF-8).
        case text(String)
        /// A complete binary message.
        case binary([UInt8])
        /// A ping with its (unmasked) payload.
        case ping([UInt8])
        /// A pong with its (unmasked) payload.
        case pong([UInt8])
        /// The peer's close frame: its code (nil if the payload was empty) and reason.
        case close(code: WebSocketCloseCode?, reason: String)
        /// A protocol violation: fail the connection with `error.closeCode`.
        case protocolError(WebSocketProtocolError)
    }

    /// The limits in force.
    public let configuration: Configuration

    enum Stage: Sendable {
        case header
        case payload
        case finished   // after a close frame or a protocol error
    }

    private var stage: Stage = .header

    // Partial header bytes (at most 14) when a header is split across reads.
    private var headerStorage: (UInt64, UInt64) = (0, 0)
    private var headerCount = 0

    // The frame being read.
    private var frameOpcode: WebSocketOpcode = .continuation
    private var frameIsFinal = false
    private var frameMask = WebSocketMaskingKey(0, 0, 0, 0)
    private var frameRemaining: UInt64 = 0
    private var frameConsumed = 0

    // The message being assembled (data frames) and the control frame payload.
    private var messageOpcode: WebSocketOpcode?
    private var messageSize: UInt64 = 0
    private var messageBuffer: [UInt8] = []
    private var controlBuffer: [UInt8] = []
    private var validator = WebSocketUTF8Validator()

    /// Creates a parser.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Whether the parser has stopped (after a close frame or a protocol error).
    public var isFinished: Bool { stage == .finished }

    /// Whether a fragmented data message is in progress.
    public var isInsideFragmentedMessage: Bool { messageOpcode != nil }

    // MARK: Convenience

    /// Parses `bytes`, returning every event they complete (in order).
    public mutating func parse(_ bytes: [UInt8]) -> [Event] {
        bytes.withUnsafeBytes { parse($0) }
    }

    /// Parses `bytes`, returning every event they complete (in order).
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> [Event] {
        var events: [Event] = []
        var offset = 0
        while let event = nextEvent(in: bytes, consumed: &offset) { events.append(event) }
        return events
    }

    // MARK: Core

    /// Consumes bytes of `input` from `offset` until one event is complete, and returns it;
    /// returns `nil` once all of `input` is consumed without completing another event.
    ///
    /// Call repeatedly with the same buffer and offset until it returns `nil`; `offset` is
    /// then `input.count` and the parser has kept whatever partial frame it needs. An offset
    /// outside `0...input.count` is clamped into it.
    public mutating func nextEvent(in input: UnsafeRawBufferPointer, consumed offset: inout Int) -> Event? {
        if offset < 0 || offset > input.count { offset = Swift.min(Swift.max(offset, 0), input.count) }
        while true {
            switch stage {
            case .finished:
                offset = input.count
                return nil
            case .header:
                guard offset < input.count else { return nil }
                guard readHeader(input, &offset) else { return nil }
                if let error = beginFrame() { return fail(error) }
                if frameRemaining == 0 {
                    if let event = endFrame() { return event }
                } else {
                    stage = .payload
                }
            case .payload:
                guard offset < input.count else { return nil }
                let available = input.count - offset
                let take = frameRemaining < UInt64(available) ? Int(frameRemaining) : available
                let chunk = UnsafeRawBufferPointer(rebasing: input[offset ..< offset + take])
                offset += take
                frameRemaining -= UInt64(take)
                if let error = consumePayload(chunk) { return fail(error) }
                if frameRemaining == 0 {
                    stage = .header
                    if let event = endFrame() { return event }
                }
            }
        }
    }

    private mutating func fail(_ reason: WebSocketProtocolError.Reason) -> Event {
        stage = .finished
        messageBuffer = []
        controlBuffer = []
        return .protocolError(WebSocketProtocolError(reason))
    }

    // MARK: Header

    /// Header size implied by the second header byte.
    @inline(__always)
    private static func headerSize(secondByte: UInt8) -> Int {
        let length7 = secondByte & 0x7F
        let lengthBytes = length7 == 126 ? 2 : (length7 == 127 ? 8 : 0)
        return 2 + lengthBytes + (secondByte & 0x80 != 0 ? 4 : 0)
    }

    /// Reads a complete header (from `input` directly, or via the partial-header storage);
    /// returns false if more bytes are needed.
    private mutating func readHeader(_ input: UnsafeRawBufferPointer, _ offset: inout Int) -> Bool {
        let available = input.count - offset
        if headerCount == 0 && available >= 2 {
            let size = Self.headerSize(secondByte: input[offset + 1])
            if available >= size {
                decodeHeader(UnsafeRawBufferPointer(rebasing: input[offset ..< offset + size]))
                offset += size
                return true
            }
        }
        // Slow path: the header is split across reads.
        var storage = headerStorage
        let complete = withUnsafeMutableBytes(of: &storage) { raw -> Bool in
            while offset < input.count {
                let needed = headerCount >= 2 ? Self.headerSize(secondByte: raw[1]) : 2
                if headerCount >= needed { break }
                raw[headerCount] = input[offset]
                headerCount += 1
                offset += 1
            }
            guard headerCount >= 2 else { return false }
            let size = Self.headerSize(secondByte: raw[1])
            guard headerCount >= size else { return false }
            decodeHeader(UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(raw)[0 ..< size]))
            return true
        }
        if complete {
            headerCount = 0
            headerStorage = (0, 0)
        } else {
            headerStorage = storage
        }
        return complete
    }

    // Raw header fields, checked by `beginFrame`.
    private var rawFirstByte: UInt8 = 0
    private var rawMasked = false
    private var rawLength: UInt64 = 0

    private mutating func decodeHeader(_ header: UnsafeRawBufferPointer) {
        rawFirstByte = header[0]
        let second = header[1]
        rawMasked = second & 0x80 != 0
        let length7 = second & 0x7F
        var index = 2
        switch length7 {
        case 126:
            rawLength = UInt64(header[2]) << 8 | UInt64(header[3])
            index = 4
        case 127:
            var value: UInt64 = 0
            for i in 2..<10 { value = value << 8 | UInt64(header[i]) }
            rawLength = value
            index = 10
        default:
            rawLength = UInt64(length7)
        }
        if rawMasked {
            frameMask = WebSocketMaskingKey(header[index], header[index + 1], header[index + 2], header[index + 3])
        }
    }

    /// Validates the decoded header and prepares to read the payload.
    private mutating func beginFrame() -> WebSocketProtocolError.Reason? {
        let first = rawFirstByte
        if first & 0x70 != 0 { return .reservedBitsSet }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { return .unknownOpcode }
        let fin = first & 0x80 != 0
        switch configuration.role {
        case .server: if !rawMasked { return .unmaskedFrame }
        case .client: if rawMasked { return .maskedFrame }
        }
        if rawLength & (1 << 63) != 0 { return .invalidPayloadLength }
        frameOpcode = opcode
        frameIsFinal = fin
        frameRemaining = rawLength
        frameConsumed = 0
        if !rawMasked { frameMask = WebSocketMaskingKey(0, 0, 0, 0) }

        if opcode.isControl {
            if !fin { return .fragmentedControlFrame }
            if rawLength > 125 { return .controlFrameTooLong }
            controlBuffer = []
            controlBuffer.reserveCapacity(Int(rawLength))
            return nil
        }
        switch opcode {
        case .continuation:
            if messageOpcode == nil { return .unexpectedContinuation }
        default:
            if messageOpcode != nil { return .expectedContinuation }
            messageOpcode = opcode
            messageSize = 0
            validator.reset()
        }
        let limit = UInt64(configuration.maxMessageSize)
        if rawLength > limit || messageSize > limit - rawLength { return .messageTooBig }
        messageSize += rawLength
        // No reservation from the declared length: a peer that announces 64 KiB and sends
        // nothing must not cost 64 KiB. The buffer grows (geometrically) as bytes arrive.
        return nil
    }

    // MARK: Payload

    private mutating func consumePayload(_ chunk: UnsafeRawBufferPointer) -> WebSocketProtocolError.Reason? {
        let phase = frameConsumed
        frameConsumed &+= chunk.count
        if frameOpcode.isControl {
            let start = controlBuffer.count
            controlBuffer.append(contentsOf: chunk)
            if rawMasked {
                let mask = frameMask
                controlBuffer.withUnsafeMutableBytes { raw in
                    WebSocketMasking.apply(mask, phase: phase, to: UnsafeMutableRawBufferPointer(rebasing: raw[start...]))
                }
            }
            return nil
        }
        let start = messageBuffer.count
        messageBuffer.append(contentsOf: chunk)
        let mask = frameMask
        let masked = rawMasked
        let isText = messageOpcode == .text
        var validator = self.validator
        let valid = messageBuffer.withUnsafeMutableBytes { raw -> Bool in
            let region = UnsafeMutableRawBufferPointer(rebasing: raw[start...])
            if masked { WebSocketMasking.apply(mask, phase: phase, to: region) }
            return !isText || validator.consume(UnsafeRawBufferPointer(region)) == nil
        }
        self.validator = validator
        return valid ? nil : .invalidUTF8
    }

    /// Finishes the current frame; returns the event it completes, if any.
    private mutating func endFrame() -> Event? {
        switch frameOpcode {
        case .ping:
            return .ping(takeControlPayload())
        case .pong:
            return .pong(takeControlPayload())
        case .close:
            return closeEvent(takeControlPayload())
        case .text, .binary, .continuation:
            guard frameIsFinal, let opcode = messageOpcode else { return nil }
            messageOpcode = nil
            if opcode == .text {
                guard validator.isAtCharacterBoundary else { return fail(.invalidUTF8) }
                let text = String(decoding: messageBuffer, as: UTF8.self)
                releaseMessageBuffer()
                return .text(text)
            }
            let bytes = messageBuffer
            messageBuffer = []
            return .binary(bytes)
        }
    }

    private mutating func takeControlPayload() -> [UInt8] {
        let payload = controlBuffer
        controlBuffer = []
        return payload
    }

    /// Keeps a small buffer for the next message; gives a large one back to the allocator.
    private mutating func releaseMessageBuffer() {
        if messageBuffer.capacity > 4096 {
            messageBuffer = []
        } else {
            messageBuffer.removeAll(keepingCapacity: true)
        }
    }

    private mutating func closeEvent(_ payload: [UInt8]) -> Event {
        if payload.isEmpty {
            stage = .finished
            messageBuffer = []
            return .close(code: nil, reason: "")
        }
        if payload.count == 1 { return fail(.invalidClosePayload) }
        let code = WebSocketCloseCode(UInt16(payload[0]) << 8 | UInt16(payload[1]))
        if !code.isValidOnWire { return fail(.invalidCloseCode) }
        let reasonBytes = payload[2...]
        let validReason = reasonBytes.withUnsafeBytes { WebSocketUTF8Validator.isValid($0) }
        if !validReason { return fail(.invalidUTF8) }
        stage = .finished
        messageBuffer = []
        return .close(code: code, reason: String(decoding: reasonBytes, as: UTF8.self))
    }
}
