/// A span of time written with units in the configuration: `250ms`, `30s`, `15m`, `2h`,
/// `7d`, or combined (`1h30m`). Stored as whole milliseconds.
public struct ConfigDuration: Sendable, Equatable, Hashable, Comparable, CustomStringConvertible {
    /// The length in milliseconds (never negative).
    public let milliseconds: Int64

    /// Creates a duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }
    /// Creates a duration of whole `seconds`.
    public static func seconds(_ seconds: Int64) -> ConfigDuration { ConfigDuration(milliseconds: seconds * 1000) }
    /// Zero.
    public static let zero = ConfigDuration(milliseconds: 0)

    /// The length in (possibly fractional) seconds.
    public var seconds: Double { Double(milliseconds) / 1000 }
    /// As a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    /// Shorter durations order first.
    public static func < (lhs: ConfigDuration, rhs: ConfigDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Canonical text: the largest units first, e.g. `1h30m`, `250ms`, `0s`.
    public var description: String {
        if milliseconds == 0 { return "0s" }
        var rest = milliseconds
        var text = ""
        for (unit, size) in ConfigDuration.units {
            if rest >= size {
                text += "\(rest / size)\(unit)"
                rest %= size
            }
        }
        return text
    }

    static let units: [(String, Int64)] = [("d", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)]

    /// Parses `30s`, `1h30m`, `250ms`; `nil` when malformed or absurdly large (> 100 years).
    public init?(parsing text: String) {
        var total: Int64 = 0
        var number: Int64 = 0
        var digits = 0
        var sawSegment = false
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte >= 0x30, byte <= 0x39 {
                guard digits < 12 else { return nil }
                number = number * 10 + Int64(byte - 0x30)
                digits += 1
                index = utf8.index(after: index)
                continue
            }
            guard digits > 0 else { return nil }
            let multiplier: Int64
            let next = utf8.index(after: index)
            switch byte {
            case UInt8(ascii: "m"):
                if next < utf8.endIndex, utf8[next] == UInt8(ascii: "s") {
                    multiplier = 1
                    index = utf8.index(after: next)
                } else {
                    multiplier = 60_000
                    index = next
                }
            case UInt8(ascii: "s"): multiplier = 1000; index = next
            case UInt8(ascii: "h"): multiplier = 3_600_000; index = next
            case UInt8(ascii: "d"): multiplier = 86_400_000; index = next
            default: return nil
            }
            let (product, overflow) = number.multipliedReportingOverflow(by: multiplier)
            guard !overflow, product <= 3_153_600_000_000 else { return nil }
            total += product
            number = 0
            digits = 0
            sawSegment = true
            guard total <= 3_153_600_000_000 else { return nil }
        }
        guard sawSegment, digits == 0 else { return nil }
        milliseconds = total
    }
}

/// A rate limit written `COUNT/PERIOD`: `10/1m`, `5/s`, `100/1h`.
public struct RateLimit: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// How many events are allowed per period (at least 1).
    public let count: Int
    /// The period (positive).
    public let period: ConfigDuration

    /// Creates a rate limit.
    public init(count: Int, period: ConfigDuration) {
        self.count = count
        self.period = period
    }

    /// Canonical text, e.g. `10/1m`.
    public var description: String { "\(count)/\(period)" }

    /// Parses `10/1m`; a period without a number means one unit (`10/s`).
    public init?(parsing text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let count = Int(parts[0]), count > 0, count <= 1_000_000_000 else { return nil }
        var periodText = String(parts[1])
        if let first = periodText.first, !first.isNumber { periodText = "1" + periodText }
        guard let period = ConfigDuration(parsing: periodText), period.milliseconds > 0 else { return nil }
        self.count = count
        self.period = period
    }
}

/// A secret resolved at load time from an environment variable or a file.
///
/// Its description never shows the bytes. Two secrets are equal when their bytes are
/// (where they came from does not matter, as for the content hash).
public struct SecretValue: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// The secret's bytes (a file's trailing newlines are removed).
    public let bytes: [UInt8]
    /// Where it came from, e.g. `env FELT_ACES_JWT` or `file config/secrets/aces.key`.
    public let source: String

    /// Creates a secret.
    public init(bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    /// The bytes as UTF-8 text (lossy), e.g. for PEM keys and passphrases.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// `<secret from SOURCE>`.
    public var description: String { "<secret from \(source)>" }

    /// Equal bytes, whatever the source.
    public static func == (lhs: SecretValue, rhs: SecretValue) -> Bool { lhs.bytes == rhs.bytes }

    /// Hashes the bytes only, consistent with `==`.
    public func hash(into hasher: inout Hasher) { hasher.combine(bytes) }
}
