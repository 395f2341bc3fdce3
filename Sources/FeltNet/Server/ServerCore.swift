import Synchronization

/// What the server's loops share: settings, the resolver, counters and the
/// per-address connection counts. Held strongly by the server and each loop's state
/// (no reference cycle), so in-flight tasks never outlive what they use.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let resolve: @Sendable (String?) -> Router?
    let addressCounts = Locked<[String: Int]>([:])
    let requestIDPrefix: String
    let openConnections = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)

    init(configuration: ServerConfiguration, resolve: @escaping @Sendable (String?) -> Router?) {
        self.configuration = configuration
        self.resolve = resolve
        requestIDPrefix = String(UInt64.random(in: 0...UInt64.max) & 0xFFFF_FFFF_FFFF, radix: 16)
    }

    func admit(ip: String) -> Bool {
        addressCounts.withLock { counts in
            let count = counts[ip, default: 0]
            if count >= configuration.maxConnectionsPerAddress { return false }
            counts[ip] = count + 1
            return true
        }
    }

    func release(ip: String) {
        addressCounts.withLock { counts in
            let count = counts[ip, default: 1] - 1
            counts[ip] = count <= 0 ? nil : count
        }
    }
}
