import Dispatch
import Foundation

/// Hashes and verifies passwords with scrypt (`EVP_PBE_scrypt`) off the event loops.
///
/// The async methods run the key derivation on dedicated Dispatch queues — never on an
/// event loop thread nor on Swift's cooperative pool — and resume the caller through a
/// continuation. At most `PasswordHasher.lanes.count` (the number of cores) derivations
/// run at once, which also bounds memory (32 MiB each with the standard parameters).
public struct PasswordHasher: Sendable {
    /// Parameters for new hashes (and for the unknown-user dummy verification).
    public let parameters: ScryptParameters
    /// A fixed hash with `parameters`, verified against for unknown users so that
    /// such logins cost the same time as a wrong password.
    let dummyHash: PasswordHash

    /// A hasher with `parameters`. Computes the dummy hash once (one scrypt run).
    public init(parameters: ScryptParameters = .standard) throws(PasswordHashError) {
        self.parameters = parameters
        let salt = Array("felt-dummy-salt!".utf8)
        let hash = try PasswordHash.derive(password: "felt-dummy-password", salt: salt, parameters: parameters,
                                           length: PasswordHash.hashLength)
        dummyHash = PasswordHash(parameters: parameters, salt: salt, hash: hash)
    }

    // MARK: Synchronous (blocking) forms — for the benchmark and for callers already off the loops.

    /// Hashes `password` with a fresh random salt; returns the stored form. Blocks for the full cost.
    public func hashBlocking(_ password: String) throws(PasswordHashError) -> String {
        let salt: [UInt8]
        do { salt = try Crypto.randomBytes(PasswordHash.saltLength) } catch { throw .crypto("\(error)") }
        let hash = try PasswordHash.derive(password: password, salt: salt, parameters: parameters,
                                           length: PasswordHash.hashLength)
        return PasswordHash(parameters: parameters, salt: salt, hash: hash).encoded
    }

    /// Whether `password` matches the stored form (constant-time comparison). Blocks.
    public func verifyBlocking(_ password: String, stored: String) throws(PasswordHashError) -> Bool {
        try PasswordHash(parsing: stored).matches(password)
    }

    /// Spends the same work as a wrong-password check, then returns `false`. Blocks.
    @discardableResult
    public func dummyVerifyBlocking(_ password: String) -> Bool {
        _ = try? dummyHash.matches(password)
        return false
    }

    // MARK: Async forms (off the event loops and the cooperative pool)

    /// Hashes `password` on a password-hashing queue.
    public func hash(_ password: String) async throws(PasswordHashError) -> String {
        try await Self.run { () throws(PasswordHashError) -> String in try self.hashBlocking(password) }
    }

    /// Verifies `password` against a stored hash on a password-hashing queue.
    /// A corrupted stored string throws (`.malformed` / `.unsupportedParameters`), never crashes.
    public func verify(_ password: String, stored: String) async throws(PasswordHashError) -> Bool {
        try await Self.run { () throws(PasswordHashError) -> Bool in try self.verifyBlocking(password, stored: stored) }
    }

    /// For a login naming an unknown user: costs the same as `verify` with a wrong
    /// password (same parameters) and always returns `false`.
    public func verifyUnknownUser(_ password: String) async -> Bool {
        let result = try? await Self.run { () throws(PasswordHashError) -> Bool in self.dummyVerifyBlocking(password) }
        return result ?? false
    }

    /// Whether a stored hash uses other parameters than this hasher (rehash after a successful login).
    public func needsRehash(_ stored: String) -> Bool {
        guard let hash = try? PasswordHash(parsing: stored) else { return true }
        return hash.parameters != parameters || hash.hash.count != PasswordHash.hashLength
    }

    // MARK: Queues

    /// Serial queues, one per core; jobs are spread round-robin.
    static let lanes: [DispatchQueue] = (0..<max(1, ProcessInfo.processInfo.activeProcessorCount)).map {
        let queue = DispatchQueue(label: "felt.auth.scrypt.\($0)", qos: .userInitiated)
        queue.setSpecific(key: laneKey, value: $0)
        return queue
    }
    /// Marks the lanes, so that code (and tests) can tell it runs on one.
    static let laneKey = DispatchSpecificKey<Int>()

    /// The index of the password-hashing lane the caller runs on, if any.
    static var currentLane: Int? { DispatchQueue.getSpecific(key: laneKey) }
    private static let nextLane = LaneCounter()

    static func run<T: Sendable>(_ work: @escaping @Sendable () throws(PasswordHashError) -> T)
        async throws(PasswordHashError) -> T {
        let lane = lanes[nextLane.next(modulo: lanes.count)]
        let result: Result<T, PasswordHashError> = await withCheckedContinuation { continuation in
            lane.async {
                do throws(PasswordHashError) {
                    continuation.resume(returning: .success(try work()))
                } catch {
                    continuation.resume(returning: .failure(error))
                }
            }
        }
        return try result.get()
    }
}

/// A round-robin counter.
///
/// `@unchecked Sendable`: the only state, `value`, is read and written under `lock`.
private final class LaneCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func next(modulo count: Int) -> Int {
        lock.withLock {
            value = (value + 1) % count
            return value
        }
    }
}
