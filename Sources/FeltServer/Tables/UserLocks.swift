/// One lock per user: a user's joins and leaves run one at a time (the guide's "wallet
/// lock"), so two concurrent joins with different keys cannot both pass the seat checks.
actor UserLocks {
    private var held: Set<Int64> = []
    private var waiters: [Int64: [CheckedContinuation<Void, Never>]] = [:]

    /// Runs `body` while holding `user`'s lock.
    func withLock<T: Sendable>(_ user: Int64, _ body: @Sendable () async -> T) async -> T {
        await acquire(user)
        let value = await body()
        release(user)
        return value
    }

    private func acquire(_ user: Int64) async {
        if !held.contains(user) {
            held.insert(user)
            return
        }
        await withCheckedContinuation { waiters[user, default: []].append($0) }
    }

    private func release(_ user: Int64) {
        if var queue = waiters[user], !queue.isEmpty {
            let next = queue.removeFirst()
            waiters[user] = queue.isEmpty ? nil : queue
            next.resume()  // the lock passes straight to the next waiter
        } else {
            held.remove(user)
        }
    }
}
