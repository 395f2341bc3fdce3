import CLinuxSys
import Foundation
import Glibc
import Synchronization

/// Something registered with a loop for readiness events on a file descriptor.
/// Called on the loop's thread only.
protocol EventLoopSelectable: AnyObject {
    /// Handles the epoll event bits reported for the descriptor.
    func handleEvents(_ events: UInt32)
}

/// Something holding output buffered during a loop iteration; the loop calls
/// `flushPending()` once at the end of the iteration in which it was scheduled.
/// Called on the loop's thread only.
protocol EventLoopFlushable: AnyObject {
    /// Writes what was buffered during this iteration.
    func flushPending()
}

/// Thread-specific slot holding the loop that runs on the current thread.
private let currentLoopKey: pthread_key_t = {
    var key = pthread_key_t()
    pthread_key_create(&key, nil)
    return key
}()

/// One event loop: a thread running level-triggered epoll, an eventfd for wake-ups
/// from other threads, a job queue and a timer heap.
///
/// A loop is both a `SerialExecutor` and a `TaskExecutor`: an actor whose
/// `unownedExecutor` returns `loop.asUnownedSerialExecutor()` runs on this loop's
/// thread, and `Task(executorPreference: loop)` runs nonisolated async code here.
/// Nothing blocking may run on a loop; send blocking work to ``BlockingPool``.
public final class EventLoop: @unchecked Sendable {
    // @unchecked Sendable: fields other than `queue` (lock-protected), `stopFlag`
    // (atomic) and the immutable descriptors are touched only on the loop's own thread.

    /// Position of this loop in its group (0-based).
    public let index: Int
    let epollFD: Int32
    private let wakeFD: Int32
    private let queue = Locked(PendingWork())
    private let stopFlag = Atomic<Bool>(false)
    private let finished = DispatchSemaphore(value: 0)

    // Loop-confined state.
    private var slots: [EventLoopSelectable?] = []
    var timers = TimerHeap()
    /// Flushed at the end of this iteration, in the order scheduled.
    private var flushList: [EventLoopFlushable] = []
    private var flushing: [EventLoopFlushable] = []
    private let timerIDs = Atomic<UInt64>(1)

    /// Work handed to the loop from any thread.
    struct PendingWork {
        var jobs: [UnownedJob] = []
        var closures: [@Sendable () -> Void] = []
        var wakePending = false
        var isEmpty: Bool { jobs.isEmpty && closures.isEmpty }
    }

    init(index: Int) throws(NetworkError) {
        self.index = index
        let ep = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard ep >= 0 else { throw NetworkError.system("epoll_create1", errno: felt_errno()) }
        let ev = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard ev >= 0 else {
            close(ep)
            throw NetworkError.system("eventfd", errno: felt_errno())
        }
        epollFD = ep
        wakeFD = ev
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = ev
        epoll_ctl(ep, EPOLL_CTL_ADD, ev, &event)
    }

    deinit {
        close(epollFD)
        close(wakeFD)
    }

    /// The loop running on the calling thread, if any.
    public static var current: EventLoop? {
        guard let raw = pthread_getspecific(currentLoopKey) else { return nil }
        return Unmanaged<EventLoop>.fromOpaque(raw).takeUnretainedValue()
    }

    /// Whether the caller runs on this loop's thread.
    @inline(__always)
    public var inEventLoop: Bool {
        pthread_getspecific(currentLoopKey) == Unmanaged.passUnretained(self).toOpaque()
    }

    /// Runs `body` on the loop's thread: immediately when already there, otherwise
    /// queued and the loop woken.
    public func execute(_ body: @escaping @Sendable () -> Void) {
        enqueue { $0.closures.append(body) }
    }

    /// Runs `body` now when on the loop, else queues it (cheaper than `execute` for
    /// code that is usually already on the loop).
    @inline(__always)
    public func run(_ body: @escaping @Sendable () -> Void) {
        if inEventLoop { body() } else { execute(body) }
    }

    func enqueueJob(_ job: UnownedJob) {
        enqueue { $0.jobs.append(job) }
    }

    /// Adds work to the queue with `add`; from another thread, wakes the loop unless a
    /// wake-up is already pending (on the loop, the queue is checked before sleeping).
    @inline(__always)
    private func enqueue(_ add: (inout PendingWork) -> Void) {
        if inEventLoop {
            queue.withLock(add)
            return
        }
        let wake = queue.withLock { work -> Bool in
            add(&work)
            if work.wakePending { return false }
            work.wakePending = true
            return true
        }
        if wake { wakeUp() }
    }

    private func wakeUp() {
        var one: UInt64 = 1
        _ = withUnsafeBytes(of: &one) { write(wakeFD, $0.baseAddress, 8) }
    }

    // MARK: Registration (loop thread only)

    func register(fd: Int32, _ handler: EventLoopSelectable, events: UInt32) throws(NetworkError) {
        assert(inEventLoop)
        let index = Int(fd)
        if index >= slots.count {
            slots.append(contentsOf: repeatElement(nil, count: max(index + 1 - slots.count, slots.count)))
        }
        slots[index] = handler
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        if epoll_ctl(epollFD, EPOLL_CTL_ADD, fd, &event) != 0 {
            slots[index] = nil
            throw NetworkError.system("epoll_ctl(ADD)", errno: felt_errno())
        }
    }

    func modify(fd: Int32, events: UInt32) {
        var event = epoll_event()
        event.events = events
        event.data.fd = fd
        epoll_ctl(epollFD, EPOLL_CTL_MOD, fd, &event)
    }

    func deregister(fd: Int32) {
        assert(inEventLoop)
        var event = epoll_event()
        epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
        if Int(fd) < slots.count { slots[Int(fd)] = nil }
    }

    // MARK: End-of-iteration flush (loop thread only)

    /// Puts `item` on this iteration's flush list (schedule each item at most once per
    /// iteration; the caller keeps a flag).
    func scheduleFlush(_ item: EventLoopFlushable) {
        assert(inEventLoop)
        flushList.append(item)
    }

    /// Flushes everything scheduled, including items scheduled while flushing.
    private func flushScheduled() {
        while !flushList.isEmpty {
            swap(&flushList, &flushing)
            for item in flushing { item.flushPending() }
            flushing.removeAll(keepingCapacity: true)
        }
    }

    // MARK: Timers

    /// Schedules `body` on this loop after `delay`. Callable from any thread.
    @discardableResult
    public func schedule(after delay: Duration, _ body: @escaping @Sendable () -> Void) -> EventLoopTimer {
        let id = timerIDs.wrappingAdd(1, ordering: .relaxed).oldValue
        let deadline = MonotonicClock.nanoseconds() &+ delay.nanosecondsClamped
        let timer = EventLoopTimer(id: id, loop: self)
        run { self.timers.insert(id: id, deadline: deadline, action: body) }
        return timer
    }

    func cancelTimer(id: UInt64) {
        run { self.timers.cancel(id: id) }
    }

    // MARK: Running

    /// Asks the loop to finish: it runs what is queued and its thread exits.
    func stop() {
        stopFlag.store(true, ordering: .releasing)
        wakeUp()
    }

    /// Blocks the calling thread until the loop's thread has exited.
    func waitUntilStopped() {
        finished.wait()
        finished.signal()
    }

    func start() {
        let thread = Thread { [self] in self.runLoop() }
        thread.name = "felt-loop-\(index)"
        thread.start()
    }

    private func runLoop() {
        pthread_setspecific(currentLoopKey, Unmanaged.passUnretained(self).toOpaque())
        let capacity: Int32 = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: Int(capacity))
        defer { events.deallocate() }
        while true {
            var timeout: Int32 = -1
            if queue.withLock({ !$0.isEmpty }) {
                timeout = 0
            } else if let next = timers.nextDeadline {
                let now = MonotonicClock.nanoseconds()
                if next <= now {
                    timeout = 0
                } else {
                    let ms = (next - now + 999_999) / 1_000_000
                    timeout = Int32(min(ms, 60_000))
                }
            }
            let count = epoll_wait(epollFD, events, capacity, timeout)
            if count > 0 {
                for i in 0..<Int(count) {
                    let fd = events[i].data.fd
                    if fd == wakeFD {
                        var value: UInt64 = 0
                        _ = withUnsafeMutableBytes(of: &value) { read(wakeFD, $0.baseAddress, 8) }
                        continue
                    }
                    let slot = Int(fd)
                    if slot < slots.count, let handler = slots[slot] {
                        handler.handleEvents(events[i].events)
                    }
                }
            }
            runQueuedWork()
            if timers.nextDeadline != nil {
                for action in timers.popExpired(now: MonotonicClock.nanoseconds()) { action() }
            }
            flushScheduled()
            if stopFlag.load(ordering: .acquiring) {
                while !queue.withLock({ $0.isEmpty }) {
                    runQueuedWork()
                    flushScheduled()
                }
                break
            }
        }
        pthread_setspecific(currentLoopKey, nil)
        finished.signal()
    }

    /// Runs one batch of queued jobs and closures.
    private func runQueuedWork() {
        let work = queue.withLock { work -> PendingWork in
            let taken = work
            work.jobs.removeAll(keepingCapacity: true)
            work.closures.removeAll(keepingCapacity: true)
            work.wakePending = false
            return taken
        }
        if !work.jobs.isEmpty {
            let serial = asUnownedSerialExecutor()
            let task = asUnownedTaskExecutor()
            for job in work.jobs { job.runSynchronously(isolatedTo: serial, taskExecutor: task) }
        }
        for closure in work.closures { closure() }
    }
}

/// A timer scheduled on a loop; cancel it before it fires to drop it.
public struct EventLoopTimer: Sendable, Hashable {
    let id: UInt64
    let loop: EventLoop

    /// Cancels the timer (no effect once it has fired).
    public func cancel() { loop.cancelTimer(id: id) }

    public static func == (lhs: EventLoopTimer, rhs: EventLoopTimer) -> Bool { lhs.id == rhs.id && lhs.loop === rhs.loop }
    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}
