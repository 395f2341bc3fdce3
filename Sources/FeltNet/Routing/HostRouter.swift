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
    /// empty or syntactically impossible host.
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
        var text = Substring(host.trimmingASCIISpaces())
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let after = text[text.index(after: close)...]
            guard after.isEmpty || (after.first == ":" && after.dropFirst().allSatisfy(\.isASCIIDigit)) else { return nil }
            text = text[...close]
        } else if let colon = text.lastIndex(of: ":") {
            let port = text[text.index(after: colon)...]
            guard port.allSatisfy(\.isASCIIDigit) else { return nil }
            text = text[..<colon]
        }
        if text.hasSuffix(".") { text = text.dropLast() }
        guard !text.isEmpty else { return nil }
        for byte in text.utf8 where byte <= 0x20 || byte >= 0x7F || byte == 0x2F || byte == 0x40 { return nil }
        return text.lowercased()
    }

    private static func normalizedTable(_ hosts: [String: Value]) -> [String: Value] {
        var result: [String: Value] = [:]
        for (host, value) in hosts {
            if let key = normalize(host) { result[key] = value }
        }
        return result
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
