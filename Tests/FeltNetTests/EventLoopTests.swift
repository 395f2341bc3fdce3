import Foundation
import Testing
@testable import FeltNet

/// An actor pinned to a loop, as table actors will be.
actor PinnedCounter {
    let loop: EventLoop
    var value = 0
    init(loop: EventLoop) { self.loop = loop }
    nonisolated var unownedExecutor: UnownedSerialExecutor { loop.asUnownedSerialExecutor() }

    func increment() -> (Int, Bool) {
        value += 1
        return (value, loop.inEventLoop)
    }
}

/// Collects values appended from loop callbacks.
final class Recorder<T: Sendable>: Sendable {
    private let items = Locked<[T]>([])
    func append(_ item: T) { items.withLock { $0.append(item) } }
    var values: [T] { items.withLock { $0 } }
}

@Suite struct EventLoopTests {
    @Test func actorPinnedToALoopRunsOnItsThread() async throws {
        let group = try EventLoopGroup(loopCount: 2)
        defer { Thread { group.shutdown() }.start() }
        let counter = PinnedCounter(loop: group.loops[1])
        var results: [(Int, Bool)] = []
        for _ in 0..<100 { results.append(await counter.increment()) }
        #expect(results.map(\.0) == Array(1...100))
        #expect(results.allSatisfy { $0.1 })
        #expect(!group.loops[0].inEventLoop)
    }

    @Test func taskWithLoopPreferenceRunsOnTheLoop() async throws {
        let group = try EventLoopGroup(loopCount: 2)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        let onLoop = await Task(executorPreference: loop) { () async -> Bool in
            try? await Task.sleep(for: .milliseconds(5))
            return loop.inEventLoop && EventLoop.current === loop
        }.value
        #expect(onLoop)
    }

    @Test func taskOnOneLoopCallingAnActorOnAnotherComesBack() async throws {
        let group = try EventLoopGroup(loopCount: 2)
        defer { Thread { group.shutdown() }.start() }
        let home = group.loops[0]
        let counter = PinnedCounter(loop: group.loops[1])
        let trace = await Task(executorPreference: home) { () async -> [Bool] in
            var seen = [home.inEventLoop]
            let (_, onActorLoop) = await counter.increment()
            seen.append(onActorLoop)
            seen.append(home.inEventLoop)
            return seen
        }.value
        #expect(trace == [true, true, true])
    }

    @Test func loopForKeyIsStableAndSpreadsKeys() throws {
        let group = try EventLoopGroup(loopCount: 4)
        defer { Thread { group.shutdown() }.start() }
        let first = group.loop(forKey: "aces/table-1")
        for _ in 0..<10 { #expect(group.loop(forKey: "aces/table-1") === first) }
        #expect(EventLoopGroup.stableHash("aces/table-1") == EventLoopGroup.stableHash("aces/table-1"))
        var used = Set<Int>()
        for i in 0..<200 { used.insert(group.loop(forKey: "aces/table-\(i)").index) }
        #expect(used.count == 4)
    }

    @Test func executeFromAnotherThreadRunsEveryClosureInOrder() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        let recorder = Recorder<Int>()
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            DispatchQueue.global().async {
                for i in 0..<10_000 {
                    loop.execute {
                        precondition(loop.inEventLoop)
                        recorder.append(i)
                    }
                }
                loop.execute { done.resume() }
            }
        }
        #expect(recorder.values == Array(0..<10_000))
    }

    @Test func timersFireInDeadlineOrderAndCancelledOnesDoNot() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        let recorder = Recorder<String>()
        loop.schedule(after: .milliseconds(60)) { recorder.append("late") }
        let cancelled = loop.schedule(after: .milliseconds(30)) { recorder.append("cancelled") }
        loop.schedule(after: .milliseconds(10)) { recorder.append("early") }
        cancelled.cancel()
        var waited = 0
        while recorder.values.count < 2 && waited < 400 {
            try await Task.sleep(for: .milliseconds(5))
            waited += 1
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(recorder.values == ["early", "late"])
    }

    @Test func blockingPoolRunsOffTheLoops() async throws {
        let value = try await BlockingPool.run { () -> Bool in EventLoop.current == nil }
        #expect(value)
    }
}

@Suite struct FileDescriptorWatchTests {
    @Test func watchedPipeReportsReadableUntilDrainedAndCancelStops() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        var fds: [Int32] = [0, 0]
        #expect(pipe(&fds) == 0)
        let (readEnd, writeEnd) = (fds[0], fds[1])
        defer { close(readEnd); close(writeEnd) }
        let received = Recorder<String>()
        await withCheckedContinuation { (ready: CheckedContinuation<Void, Never>) in
            loop.execute {
                do {
                    var watch: FileDescriptorWatch?
                    watch = try loop.watch(fd: readEnd) { events in
                        precondition(loop.inEventLoop)
                        var buffer = [UInt8](repeating: 0, count: 64)
                        let n = read(readEnd, &buffer, 64)
                        if n > 0 { received.append(String(decoding: buffer[0..<n], as: UTF8.self)) }
                        if events.readable && received.values.joined().contains("stop") { watch?.cancel() }
                    }
                } catch {
                    received.append("error")
                }
                ready.resume()
            }
        }
        _ = write(writeEnd, "hello ", 6)
        try await Task.sleep(for: .milliseconds(50))
        _ = write(writeEnd, "stop", 4)
        try await Task.sleep(for: .milliseconds(50))
        _ = write(writeEnd, "ignored", 7)
        try await Task.sleep(for: .milliseconds(50))
        #expect(received.values.joined() == "hello stop")
    }
}

@Suite struct EventLoopSleepTests {
    @Test func sleepResumesOnTheLoopAfterTheDuration() async throws {
        let group = try EventLoopGroup(loopCount: 1)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        let (elapsed, onLoop) = try await Task(executorPreference: loop) { () async throws -> (UInt64, Bool) in
            let start = MonotonicClock.nanoseconds()
            try await loop.sleep(for: .milliseconds(40))
            return (MonotonicClock.nanoseconds() - start, loop.inEventLoop)
        }.value
        #expect(elapsed >= 40_000_000)
        #expect(onLoop)
    }

    @Test func cancelledSleepThrowsCancellationPromptly() async throws {
        let group = try EventLoopGroup(loopCount: 2)
        defer { Thread { group.shutdown() }.start() }
        let loop = group.loops[0]
        // Driven from the other loop, so the test's own timing does not depend on the
        // (possibly busy) cooperative pool.
        let (value, waited) = try await Task(executorPreference: group.loops[1]) { () async throws -> (String, UInt64) in
            let task = Task(executorPreference: loop) { () async -> String in
                do {
                    try await loop.sleep(for: .seconds(30))
                    return "slept"
                } catch is CancellationError {
                    return "cancelled"
                } catch {
                    return "other: \(error)"
                }
            }
            try await group.loops[1].sleep(for: .milliseconds(20))
            task.cancel()
            let started = MonotonicClock.nanoseconds()
            let value = await task.value
            return (value, MonotonicClock.nanoseconds() - started)
        }.value
        #expect(value == "cancelled")
        #expect(waited < 5_000_000_000)
    }
}
