import Foundation

/// Where the server writes its log lines (one line per event, `felt: ` prefixed, to
/// standard error by default). A value so that tests and benchmarks can capture or mute it.
public struct ServerLog: Sendable {
    /// Receives one complete line (no trailing newline).
    public let write: @Sendable (String) -> Void

    /// A log writing each line to `write`.
    public init(write: @escaping @Sendable (String) -> Void) { self.write = write }

    /// Lines to standard error with a UTC timestamp.
    public static let standardError = ServerLog { line in
        let stamp = Date().formatted(.iso8601)
        FileHandle.standardError.write(Data("\(stamp) felt: \(line)\n".utf8))
    }

    /// Discards everything.
    public static let silent = ServerLog { _ in }

    /// Writes `line`.
    public func callAsFunction(_ line: String) { write(line) }
}
