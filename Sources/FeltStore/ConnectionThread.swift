import Foundation

/// One dedicated OS thread that runs a connection's blocking libpq calls in order, so they
/// never occupy an event loop or a thread of Swift's cooperative pool.
final class ConnectionThread: @unchecked Sendable {
    // @unchecked Sendable: `jobs` and `stopping` are only touched while holding `condition`.
    private let condition = NSCondition()
    private var jobs: [@Sendable () -> Void] = []
    private var stopping = false

    init(name: String) {
        let thread = Thread { [self] in
            // Named from inside, so the OS thread carries it too (ps, gdb, `Thread.current`).
            Thread.current.name = name
            pthread_setspecific(Self.marker, UnsafeRawPointer(bitPattern: 1))  // any non-nil value marks the thread
            self.loop()
        }
        thread.name = name
        thread.start()
    }

    /// Thread-specific key marking the dedicated connection threads.
    private static let marker: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// Whether the calling code runs on one of the dedicated connection threads.
    static var isCurrent: Bool { pthread_getspecific(marker) != nil }

    /// Queues `job`; jobs run one at a time in submission order. Returns false (and drops the
    /// job) once the thread was told to stop.
    @discardableResult
    func submit(_ job: @escaping @Sendable () -> Void) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        if stopping { return false }
        jobs.append(job)
        condition.signal()
        return true
    }

    /// Ends the thread after the queued jobs.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty && !stopping { condition.wait() }
            if jobs.isEmpty && stopping {
                condition.unlock()
                return
            }
            let job = jobs.removeFirst()
            condition.unlock()
            job()
        }
    }
}
