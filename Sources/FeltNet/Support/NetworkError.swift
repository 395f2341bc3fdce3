import Glibc

/// A failure of the network layer, with a stable code.
public struct NetworkError: Error, Sendable, CustomStringConvertible {
    /// Stable machine-readable code (`bind_failed`, `system_call_failed`, …).
    public let code: String
    /// Human-readable explanation.
    public let message: String

    /// Makes an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// A failed system call with its errno.
    static func system(_ call: String, errno value: Int32, code: String = "system_call_failed") -> NetworkError {
        NetworkError(code: code, message: "\(call) failed: \(String(cString: strerror(value))) (errno \(value))")
    }

    public var description: String { "\(code): \(message)" }
}
