import Synchronization

/// Whether a tenant can serve requests.
public enum TenantStatus: Sendable, Equatable {
    /// Its schema is migrated and its keys are loaded.
    case ready
    /// Its hosts answer 503 `tenant_unavailable`; `reason` is for the log and operators.
    case unavailable(reason: String)

    /// Whether requests are served.
    public var isReady: Bool { self == .ready }

    /// `ready` or `unavailable (reason)`, for the ready line and logs.
    public var summary: String {
        switch self {
        case .ready: return "ready"
        case .unavailable(let reason): return "unavailable (\(reason))"
        }
    }
}

/// A tenant's status, readable from any loop without waiting, changeable later
/// (a re-run of a failed migration or a reload may bring a tenant back).
public final class TenantStatusCell: Sendable {
    private let value: Mutex<TenantStatus>

    /// A cell holding `status`.
    public init(_ status: TenantStatus) { value = Mutex(status) }

    /// The current status.
    public var current: TenantStatus { value.withLock { $0 } }

    /// Replaces the status.
    public func set(_ status: TenantStatus) { value.withLock { $0 = status } }
}
