/// scrypt cost parameters: N = 2^`logN`, block size `r`, parallelism `p`.
public struct ScryptParameters: Sendable, Equatable, CustomStringConvertible {
    /// Felt's default: N = 2^15, r = 8, p = 1 (32 MiB per hash).
    ///
    /// Tuned on the 2-core AMD EPYC build machine, release build, OpenSSL 3.0.19
    /// (`AuthBenchmarks.scryptMillisecondsPerHash`, per-thread CPU time, 20 hashes):
    /// ln=14 r=8 ≈ 26 ms, ln=14 r=12 ≈ 39 ms, ln=15 r=8 ≈ 68 ms, ln=14 r=16 ≈ 65 ms.
    /// ln=15 r=8 is the closest standard setting to the 50 ms target (and the stronger
    /// neighbour); wall time is higher when other processes compete for the cores.
    public static let standard = ScryptParameters(unchecked: 15, r: 8, p: 1)

    /// Accepted bounds when reading stored hashes (keeps a corrupted or hostile
    /// string from demanding gigabytes or minutes).
    public static let logNRange = 10...20
    /// Accepted block sizes.
    public static let rRange = 1...32
    /// Accepted parallelism.
    public static let pRange = 1...16
    /// Upper bound on 128·r·N·p (the memory of one lane times the lanes): caps both
    /// the memory and the CPU time a stored string can demand.
    public static let maximumCost: UInt64 = 256 * 1024 * 1024

    /// log2 of the CPU/memory cost N.
    public let logN: Int
    /// Block size.
    public let r: Int
    /// Parallelism.
    public let p: Int

    /// Parameters within the accepted bounds (else `PasswordHashError.unsupportedParameters`).
    public init(logN: Int, r: Int, p: Int) throws(PasswordHashError) {
        guard Self.logNRange.contains(logN), Self.rRange.contains(r), Self.pRange.contains(p),
              128 * UInt64(r) * (UInt64(1) << UInt64(logN)) * UInt64(p) <= Self.maximumCost else {
            throw PasswordHashError.unsupportedParameters("ln=\(logN) r=\(r) p=\(p)")
        }
        self.init(unchecked: logN, r: r, p: p)
    }

    private init(unchecked logN: Int, r: Int, p: Int) {
        self.logN = logN
        self.r = r
        self.p = p
    }

    /// N.
    public var n: UInt64 { 1 << UInt64(logN) }

    /// The memory limit passed to OpenSSL: what scrypt needs (128·r·(N + p + 2) bytes) plus slack.
    public var maxMemory: UInt64 { 128 * UInt64(r) * (n + UInt64(p) + 2) + 64 * 1024 }

    public var description: String { "ln=\(logN)$r=\(r)$p=\(p)" }
}

/// A password hash that cannot be made or read.
public enum PasswordHashError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The stored string is not a well-formed Felt scrypt hash; the text says what is wrong.
    case malformed(String)
    /// The cost parameters are outside the accepted bounds.
    case unsupportedParameters(String)
    /// OpenSSL failed (e.g. memory limit) or random bytes were unavailable.
    case crypto(String)

    /// Stable error code.
    public var code: String {
        switch self {
        case .malformed: return "malformed_password_hash"
        case .unsupportedParameters: return "unsupported_password_hash_parameters"
        case .crypto: return "password_hash_failed"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why), .unsupportedParameters(let why), .crypto(let why): return "\(code): \(why)"
        }
    }
}
