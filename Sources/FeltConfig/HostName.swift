/// Host-name helpers shared by the configuration and the HTTP front.
public enum HostName {
    /// Normalises a host as written in a `Host` header or the configuration: lower-case,
    /// port removed, trailing dot removed. `Aces.Felt.Localhost.:8080` → `aces.felt.localhost`;
    /// `[::1]:8080` → `[::1]`.
    public static func normalize(_ host: String) -> String {
        var text = Substring(host)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        if text.hasPrefix("[") {
            if let close = text.firstIndex(of: "]") { text = text[...close] }
        } else if let colon = text.lastIndex(of: ":") {
            let port = text[text.index(after: colon)...]
            if port.allSatisfy({ $0.isASCII && $0.isNumber }) { text = text[..<colon] }
        }
        while text.last == "." { text = text.dropLast() }
        return text.lowercased()
    }

    /// Whether a normalised host is a syntactically valid DNS name: labels of letters,
    /// digits and hyphens (1–63 characters, no leading or trailing hyphen), at most 253 characters.
    public static func isValid(_ normalized: String) -> Bool {
        let utf8 = normalized.utf8
        guard !utf8.isEmpty, utf8.count <= 253 else { return false }
        var labelLength = 0
        var previous: UInt8 = UInt8(ascii: ".")
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "."):
                if labelLength == 0 || previous == UInt8(ascii: "-") { return false }
                labelLength = 0
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                labelLength += 1
            case UInt8(ascii: "-"):
                if labelLength == 0 { return false }
                labelLength += 1
            default:
                return false
            }
            if labelLength > 63 { return false }
            previous = byte
        }
        return labelLength > 0 && previous != UInt8(ascii: "-")
    }
}

/// Normalises a host name (see ``HostName/normalize(_:)``).
public func normalizeHost(_ host: String) -> String { HostName.normalize(host) }
