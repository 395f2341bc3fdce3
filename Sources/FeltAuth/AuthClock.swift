import Foundation

/// A source of "now" in seconds, injectable so that tests control time.
public struct AuthClock: Sendable {
    /// Current time in seconds (epoch seconds for `.wall`, arbitrary origin for `.monotonic`).
    public let now: @Sendable () -> Double

    /// A clock reading `now`.
    public init(now: @escaping @Sendable () -> Double) { self.now = now }

    /// Wall-clock time in seconds since 1970 (for token timestamps).
    public static let wall = AuthClock { Date().timeIntervalSince1970 }

    /// Monotonic seconds since boot (for rate limits; immune to clock changes).
    public static let monotonic = AuthClock { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }

    /// A clock stopped at `seconds`.
    public static func fixed(_ seconds: Double) -> AuthClock { AuthClock { seconds } }
}
