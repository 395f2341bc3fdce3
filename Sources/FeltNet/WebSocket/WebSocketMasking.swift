/// A 4-byte WebSocket masking key (RFC 6455 §5.3).
public struct WebSocketMaskingKey: Sendable, Hashable {
    /// Key bytes in wire order.
    public var b0: UInt8, b1: UInt8, b2: UInt8, b3: UInt8

    /// A key from its four wire bytes.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        self.b0 = b0; self.b1 = b1; self.b2 = b2; self.b3 = b3
    }

    /// A random key (clients must use a fresh unpredictable key per frame).
    public static func random() -> WebSocketMaskingKey {
        var generator = SystemRandomNumberGenerator()
        let value = UInt32.random(in: .min ... .max, using: &generator)
        return WebSocketMaskingKey(UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
                                   UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24))
    }

    /// The four key bytes as they lie in memory, read as one native-endian word.
    @inline(__always)
    var memoryOrderWord: UInt32 {
        #if _endian(little)
        UInt32(b0) | UInt32(b1) &<< 8 | UInt32(b2) &<< 16 | UInt32(b3) &<< 24
        #else
        UInt32(b3) | UInt32(b2) &<< 8 | UInt32(b1) &<< 16 | UInt32(b0) &<< 24
        #endif
    }

    /// Key byte `index & 3`.
    @inline(__always)
    func byte(_ index: Int) -> UInt8 {
        switch index & 3 {
        case 0: return b0
        case 1: return b1
        case 2: return b2
        default: return b3
        }
    }
}

/// XOR masking, eight bytes at a time.
enum WebSocketMasking {
    /// XORs `buffer` in place with `key`, where `buffer[0]` is payload byte number `phase`
    /// (mod 4) of its frame. Masking and unmasking are the same operation.
    static func apply(_ key: WebSocketMaskingKey, phase: Int, to buffer: UnsafeMutableRawBufferPointer) {
        let count = buffer.count
        guard count > 0, let base = buffer.baseAddress else { return }
        // The key rotated so that its byte `phase` comes first in memory, twice over: the
        // 8-byte pattern to XOR with each aligned-or-not 8-byte word.
        let shift = UInt32((phase & 3) &* 8)
        #if _endian(little)
        let word = key.memoryOrderWord.rotatedRight(by: shift)
        #else
        let word = key.memoryOrderWord.rotatedLeft(by: shift)
        #endif
        let pattern = UInt64(word) | UInt64(word) &<< 32
        var i = 0
        while i &+ 8 <= count {
            let word = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            base.storeBytes(of: word ^ pattern, toByteOffset: i, as: UInt64.self)
            i &+= 8
        }
        while i < count {
            let byte = base.load(fromByteOffset: i, as: UInt8.self)
            base.storeBytes(of: byte ^ key.byte(phase &+ i), toByteOffset: i, as: UInt8.self)
            i &+= 1
        }
    }
}

extension UInt32 {
    @inline(__always)
    fileprivate func rotatedRight(by bits: UInt32) -> UInt32 {
        bits == 0 ? self : (self &>> bits) | (self &<< (32 &- bits))
    }

    @inline(__always)
    fileprivate func rotatedLeft(by bits: UInt32) -> UInt32 {
        bits == 0 ? self : (self &<< bits) | (self &>> (32 &- bits))
    }
}
