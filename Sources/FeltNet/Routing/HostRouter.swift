/// Maps a request's `Host` to a value (e.g. a tenant id) by exact match on the
/// normalized host name; no suffix or default fallback.
///
/// The table is replaced atomically with ``replace(with:)`` (hot reload); lookups on
/// any loop see either the old or the new table, never a mix.
public final class HostRouter<Value: Sendable>: Sendable {
    private let table: Locked<[String: Value]>

    /// A router for `hosts` (keys are normalized; a key that does not normalize is dropped).
    public init(_ hosts: [String: Value] = [:]) {
        table = Locked(HostRouter.normalizedTable(hosts))
    }

    /// Swaps in a new table.
    public func replace(with hosts: [String: Value]) {
        let fresh = HostRouter.normalizedTable(hosts)
        table.withLock { $0 = fresh }
    }

    /// The value for a raw `Host` header value, or nil (missing or unknown host).
    public func lookup(_ host: String?) -> Value? {
        guard let host, let key = HostRouter.normalize(host) else { return nil }
        return table.withLock { $0[key] }
    }

    /// The value for an already normalized host name.
    public func lookup(normalized key: String) -> Value? {
        table.withLock { $0[key] }
    }

    /// Every normalized host currently mapped.
    public var hosts: [String] { table.withLock { Array($0.keys) }.sorted() }

    /// Lower-cases `host`, removes a `:port` and a trailing dot. Returns nil for an
    /// empty or syntactically impossible host. Works on bytes (it runs per request).
    public static func normalize(_ host: String) -> String? {
        // Fast path (the usual case): already lower-case letters, digits, '-' and '.',
        // no port, no trailing dot.
        var plain = !host.isEmpty
        var last: UInt8 = 0
        for byte in host.utf8 {
            switch byte {
            case 0x61...0x7A, 0x30...0x39, 0x2D, 0x2E: last = byte
            default: plain = false
            }
            if !plain { break }
        }
        if plain && last != 0x2E { return host }

        let bytes = Array(host.utf8)
        var start = 0
        var end = bytes.count
        while start < end && (bytes[start] == 0x20 || bytes[start] == 0x09) { start += 1 }
        while end > start && (bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09) { end -= 1 }
        guard start < end else { return nil }
        func digitsOnly(_ from: Int, _ to: Int) -> Bool {
            for i in from..<to where bytes[i] < 0x30 || bytes[i] > 0x39 { return false }
            return true
        }
        if bytes[start] == 0x5B {  // [IPv6]
            guard let close = bytes[start..<end].firstIndex(of: 0x5D) else { return nil }
            let after = close + 1
            if after < end {
                guard bytes[after] == 0x3A, digitsOnly(after + 1, end) else { return nil }
            }
            end = after
        } else if let colon = bytes[start..<end].lastIndex(of: 0x3A) {
            guard digitsOnly(colon + 1, end) else { return nil }
            end = colon
        }
        if end > start && bytes[end - 1] == 0x2E { end -= 1 }
        guard end > start else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(end - start)
        for i in start..<end {
            let byte = bytes[i]
            if byte <= 0x20 || byte >= 0x7F || byte == 0x2F || byte == 0x40 { return nil }
            out.append(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func normalizedTable(_ hosts: [String: Value]) -> [String: Value] {
        var result: [String: Value] = [:]
        for (host, value) in hosts {
            if let key = normalize(host) { result[key] = value }
        }
        return result
    }
}
