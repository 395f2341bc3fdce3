import Testing
@testable import FeltTables

@Suite("Sharding")
struct TableDirectoryTests {
    @Test("the shard of a table never changes and stays in range")
    func stable() {
        for i in 0..<200 {
            let a = TableDirectory.shard(tenant: "club-\(i % 7)", table: "nlhe-\(i)", shardCount: 4)
            let b = TableDirectory.shard(tenant: "club-\(i % 7)", table: "nlhe-\(i)", shardCount: 4)
            #expect(a == b)
            #expect((0..<4).contains(a))
        }
        #expect(TableDirectory.shard(tenant: "x", table: "y", shardCount: 1) == 0)
        #expect(TableDirectory.shard(tenant: "x", table: "y", shardCount: 0) == 0)
    }

    @Test("the hash is FNV-1a 64 over tenant, a zero byte, and table")
    func fnvVectors() {
        // Published FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c,
        // "foobar" → 85944171f73967e8; the tenant/table split adds one zero byte.
        #expect(TableDirectory.fnv1a64(Array("".utf8)) == 0xcbf2_9ce4_8422_2325)
        #expect(TableDirectory.fnv1a64(Array("a".utf8)) == 0xaf63_dc4c_8601_ec8c)
        #expect(TableDirectory.fnv1a64(Array("foobar".utf8)) == 0x8594_4171_f739_67e8)
        #expect(TableDirectory.stableHash(tenant: "foo", table: "bar") == TableDirectory.fnv1a64(Array("foo\u{0}bar".utf8)))
        // The separator keeps ("ab","c") and ("a","bc") apart.
        #expect(TableDirectory.stableHash(tenant: "ab", table: "c") != TableDirectory.stableHash(tenant: "a", table: "bc"))
    }

    @Test("tables spread over the shards")
    func spread() {
        var counts = [0, 0, 0, 0]
        for i in 0..<4_000 { counts[TableDirectory.shard(tenant: "club", table: "t-\(i)", shardCount: 4)] += 1 }
        #expect(counts.allSatisfy { $0 > 800 && $0 < 1_200 })
    }

    @Test("the directory hands out the executor of the table's shard")
    func executors() {
        let executors = (0..<3).map { _ in TableQueueExecutor() }
        let dir = TableDirectory(executors: executors)
        let shard = TableDirectory.shard(tenant: "club", table: "t7", shardCount: 3)
        #expect(dir.executor(tenant: "club", table: "t7") === executors[shard])
    }
}
