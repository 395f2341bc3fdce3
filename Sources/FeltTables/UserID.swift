/// A user of a tenant, by the database id the server maps it from.
public struct UserID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The numeric id.
    public var rawValue: Int64
    /// Creates an id.
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
    public static func < (lhs: UserID, rhs: UserID) -> Bool { lhs.rawValue < rhs.rawValue }
    public var description: String { String(rawValue) }
}
