import Dispatch
import Glibc

/// Waits for SIGTERM or SIGINT (graceful shutdown trigger).
///
/// ```swift
/// let signal = await TerminationSignal.wait()
/// await server.shutdown()
/// group.shutdown()
/// ```
public enum TerminationSignal {
    /// Suspends until the process receives SIGTERM or SIGINT and returns the signal
    /// number. The default action of both signals is disabled from the first call on,
    /// so the process does not die before it has shut down.
    public static func wait(for signals: [Int32] = [SIGTERM, SIGINT]) async -> Int32 {
        await withCheckedContinuation { (continuation: CheckedContinuation<Int32, Never>) in
            let queue = DispatchQueue(label: "felt.signals")
            let fired = SignalLatch()
            var sources: [DispatchSourceSignal] = []
            for number in signals {
                signal(number, SIG_IGN)
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler {
                    guard fired.fire() else { return }
                    continuation.resume(returning: number)
                }
                source.resume()
                sources.append(source)
            }
            SignalLatch.keep(sources)
        }
    }
}

/// Fires once; keeps the signal sources alive for the life of the process.
final class SignalLatch: @unchecked Sendable {
    // @unchecked Sendable: `done` is only touched on the serial signal queue;
    // `retained` is guarded by `lock`.
    private var done = false
    func fire() -> Bool {
        if done { return false }
        done = true
        return true
    }

    private static let retained = Locked<[DispatchSourceSignal]>([])
    static func keep(_ sources: [DispatchSourceSignal]) { retained.withLock { $0.append(contentsOf: sources) } }
}
