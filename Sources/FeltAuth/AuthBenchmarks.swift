import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// Micro-benchmarks of the authentication hot paths, for `felt bench auth`
/// (meaningful only in a release build).
public enum AuthBenchmarks {
    /// One benchmark figure.
    public struct Figure: Sendable, CustomStringConvertible {
        /// What was measured.
        public let name: String
        /// Operations per second.
        public let perSecond: Double
        /// Milliseconds per operation.
        public var millisecondsPerOperation: Double { 1000 / perSecond }

        public var description: String {
            let rate = (perSecond * 10).rounded() / 10
            let ms = (millisecondsPerOperation * 1000).rounded() / 1000
            return "\(name): \(rate) ops/s (\(ms) ms/op)"
        }
    }

    /// Milliseconds per scrypt hash with `parameters` (average over `iterations`), as
    /// wall-clock time and as this thread's CPU time (the latter is what the machine
    /// costs when other processes compete for the cores).
    public static func scryptMillisecondsPerHash(parameters: ScryptParameters = .standard,
                                                 iterations: Int = 10) throws(PasswordHashError) -> (wall: Double, cpu: Double) {
        let hasher = try PasswordHasher(parameters: parameters)
        let runs = max(1, iterations)
        let startCPU = threadCPUSeconds()
        let start = DispatchTime.now().uptimeNanoseconds
        for index in 0..<runs {
            _ = try hasher.hashBlocking("benchmark-password-\(index)")
        }
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let cpu = threadCPUSeconds() - startCPU
        return (wall: elapsed * 1000 / Double(runs), cpu: cpu * 1000 / Double(runs))
    }

    /// CPU time consumed by the calling thread, in seconds.
    static func threadCPUSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// A token authority over one fresh key of `algorithm`, for the token figures.
    static func benchAuthority(algorithm: JWTAlgorithm) throws -> TokenAuthority {
        let key: JWTKey
        switch algorithm {
        case .hs256:
            key = try JWTKey.hs256(kid: "bench-hs", secret: try Crypto.randomBytes(32))
        case .edDSA:
            key = try JWTKey.edDSA(kid: "bench-ed", pem: try Ed25519KeyGenerator.generatePEM().privateKeyPEM)
        }
        return TokenAuthority(keySet: try KeySet(keys: [key]), issuer: "https://bench.felt.local", audience: "bench")
    }

    /// Verifications per second of a valid access token, single thread, for HS256 or EdDSA.
    public static func verifyPerSecond(algorithm: JWTAlgorithm, seconds: Double = 2) throws -> Figure {
        let authority = try benchAuthority(algorithm: algorithm)
        let token = try authority.issueAccessToken(subject: "user-12345").token
        return try measure(name: "verify \(algorithm.rawValue)", seconds: seconds) {
            _ = try authority.verifyAccessToken(token)
        }
    }

    /// Signatures per second of access tokens, single thread, for HS256 or EdDSA.
    public static func signPerSecond(algorithm: JWTAlgorithm, seconds: Double = 2) throws -> Figure {
        let authority = try benchAuthority(algorithm: algorithm)
        return try measure(name: "sign \(algorithm.rawValue)", seconds: seconds) {
            _ = try authority.issueAccessToken(subject: "user-12345")
        }
    }

    /// Token figures: verify and sign, HS256 and EdDSA.
    public static func tokenReport(seconds: Double = 2) throws -> [Figure] {
        [try verifyPerSecond(algorithm: .hs256, seconds: seconds),
         try verifyPerSecond(algorithm: .edDSA, seconds: seconds),
         try signPerSecond(algorithm: .hs256, seconds: seconds),
         try signPerSecond(algorithm: .edDSA, seconds: seconds)]
    }

    private static func measure(name: String, seconds: Double, _ body: () throws -> Void) throws -> Figure {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(seconds * 1e9)
        let start = DispatchTime.now().uptimeNanoseconds
        var count = 0
        var now = start
        while now < deadline {
            for _ in 0..<256 { try body() }
            count += 256
            now = DispatchTime.now().uptimeNanoseconds
        }
        return Figure(name: name, perSecond: Double(count) / (Double(now - start) / 1e9))
    }
}
