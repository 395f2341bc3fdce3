/// Spreads table actors over N executors (event loops) by a stable hash of (tenant, table):
/// FNV-1a 64 of the UTF-8 bytes of the tenant id, a 0 byte, and the table id. The same ids
/// always land on the same shard, in every process and every run (unlike `Hasher`, which is
/// seeded per process).
public struct TableDirectory: Sendable {
    /// The executors, one per shard.
    public let executors: [any SerialExecutor]

    /// Creates a directory over `executors` (at least one).
    public init(executors: [any SerialExecutor]) {
        precondition(!executors.isEmpty, "TableDirectory needs at least one executor")
        self.executors = executors
    }

    /// The executor a table is pinned to.
    public func executor(tenant: String, table: String) -> any SerialExecutor {
        executors[Self.shard(tenant: tenant, table: table, shardCount: executors.count)]
    }

    /// The shard (0..<shardCount) for a table; 0 when `shardCount` < 1.
    public static func shard(tenant: String, table: String, shardCount: Int) -> Int {
        guard shardCount > 1 else { return 0 }
        return Int(stableHash(tenant: tenant, table: table) % UInt64(shardCount))
    }

    /// FNV-1a 64 of a byte string.
    public static func fnv1a64(_ bytes: [UInt8]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        return h
    }

    /// FNV-1a 64 over `tenant`, a 0 separator byte, then `table`.
    public static func stableHash(tenant: String, table: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let prime: UInt64 = 0x0000_0100_0000_01B3
        for b in tenant.utf8 { h = (h ^ UInt64(b)) &* prime }
        h = (h ^ 0) &* prime
        for b in table.utf8 { h = (h ^ UInt64(b)) &* prime }
        return h
    }
}
