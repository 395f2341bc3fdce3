import COpenSSL
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The production source of deal randomness: OpenSSL's CSPRNG (`RAND_bytes`), read 4 KiB at
/// a time into a buffer that is refilled when used up.
///
/// A class on purpose: copying a buffered generator would let two copies hand out the same
/// bytes, so a source has a single identity. Not `Sendable`; keep one per owner (e.g. per
/// table actor) or use `Deck.shuffled()`, which shares a locked process-wide instance.
public final class SecureCardRandom: CardRandomSource {
    private var buffer: [UInt64]
    private var position: Int

    /// Creates a source that fetches `bufferBytes` (rounded up to whole words, default
    /// 4,096) random bytes per refill.
    public init(bufferBytes: Int = 4_096) {
        buffer = [UInt64](repeating: 0, count: max(1, (bufferBytes + 7) / 8))
        position = buffer.count
    }

    public func next() -> UInt64 {
        if position == buffer.count {
            buffer.withUnsafeMutableBytes { SecureCardRandom.fill($0) }
            position = 0
        }
        let word = buffer[position]
        buffer[position] = 0  // do not leave used randomness lying in memory
        position += 1
        return word
    }

    /// Fills `bytes` from `RAND_bytes`; should OpenSSL ever fail, from the kernel
    /// (`/dev/urandom`). If both fail the process stops: dealing from predictable bytes
    /// would be worse than not dealing.
    static func fill(_ bytes: UnsafeMutableRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        if RAND_bytes(base.assumingMemoryBound(to: UInt8.self), Int32(bytes.count)) == 1 { return }
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        var done = 0
        while fd >= 0 && done < bytes.count {
            let got = read(fd, base + done, bytes.count - done)
            if got > 0 {
                done += got
            } else if got < 0 && errno == EINTR {
                continue
            } else {
                break
            }
        }
        if done < bytes.count {
            fatalError("no cryptographic randomness available (RAND_bytes and /dev/urandom failed)")
        }
    }
}

/// The process-wide CSPRNG behind `Deck.shuffled()`.
final class SharedSecureRandom: @unchecked Sendable {
    // @unchecked Sendable: `source` is only ever touched while holding `lock`.
    private let lock = NSLock()
    private let source = SecureCardRandom()

    static let instance = SharedSecureRandom()

    /// Runs `body` with exclusive use of the shared source.
    func withSource<T>(_ body: (inout SecureCardRandom) -> T) -> T {
        lock.lock()
        defer { lock.unlock() }
        var source = self.source
        return body(&source)
    }
}
