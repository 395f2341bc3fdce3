import FeltNet
import FeltServer
import FeltTables
import Foundation
import Synchronization

/// `felt bench tables`: the table layer's cost per action on one core, no network:
/// rendering one table version's views (the shared render, six seat views and the
/// spectator's), and a `TableActor` driven with random legal actions with and without six
/// connected players plus spectators whose sinks frame every message exactly as the table
/// WebSocket does (`TableSocketBenchmark.sink`). CPU time is the process's, so a busy
/// machine slows the wall clock but not the figures much; medians of `--runs`.
let benchTables = Benchmark(name: "tables", summary: "table views and broadcast cost per action", run: { arguments in
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["seconds", "runs", "spectators"])
    } catch {
        printError("felt bench tables: \(error)\n\n\(benchTablesUsage)")
        return 2
    }
    guard let seconds = Double(options.values["seconds"] ?? "2"), seconds > 0,
          let runs = Int(options.values["runs"] ?? "3"), runs > 0,
          let spectators = Int(options.values["spectators"] ?? "1"), spectators >= 0 else {
        printError("felt bench tables: --seconds, --runs and --spectators take positive numbers\n\n\(benchTablesUsage)")
        return 2
    }
    #if DEBUG
    print("warning: debug build; measure with `swift build -c release && .build/release/felt bench tables`")
    #endif
    print("felt bench tables \(arguments.joined(separator: " "))".trimmingCharacters(in: .whitespaces))
    // The table and its driver share one event loop thread: no thread switches per call.
    let group: EventLoopGroup
    do { group = try EventLoopGroup(loopCount: 1) } catch {
        printError("felt bench tables: \(error)")
        return 1
    }
    defer { group.shutdown() }
    let loop = group.loops[0]
    do {
        var sets: [Double] = []
        var bytesPerView = 0
        for _ in 0..<runs {
            let r = try TableBenchmarks.measureViews(seconds: seconds, players: 6)
            sets.append(r.cpuMicrosPerSet)
            bytesPerView = r.averageBytes
        }
        print("views: \(tablesFormat(tablesMedian(sets))) µs CPU per table version (render + 6 seat views + spectator view), \(bytesPerView) bytes/view")

        var bare: [Double] = []
        var wired: [Double] = []
        var perMessage: [Double] = []
        var messagesPerAction = 0.0
        var sendsPerAction = 0.0
        var bytesPerMessage = 0
        for _ in 0..<runs {
            let b = try await withTaskExecutorPreference(loop) {
                try await TableBenchmarks.measureActorBroadcast(seconds: seconds, players: 6, spectators: 0,
                                                                connectPlayers: false, executor: loop) { _ in
                    TableSocketBenchmark.sink { _ in }
                }
            }
            bare.append(b.cpuMicrosPerAction)
            let frames = Atomic<Int>(0)
            let bytes = Atomic<Int>(0)
            let counted = MessageCounter()
            let w = try await withTaskExecutorPreference(loop) {
                try await TableBenchmarks.measureActorBroadcast(seconds: seconds, players: 6, spectators: spectators,
                                                                connectPlayers: true, executor: loop) { _ in
                    MessageCountingSink(counter: counted, next: TableSocketBenchmark.sink { frame in
                        frames.add(1, ordering: .relaxed)
                        bytes.add(frame.count, ordering: .relaxed)
                    })
                }
            }
            wired.append(w.cpuMicrosPerAction)
            let sends = Double(frames.load(ordering: .relaxed))
            let messages = Double(counted.value.load(ordering: .relaxed))
            sendsPerAction = sends / Double(max(w.actions, 1))
            messagesPerAction = messages / Double(max(w.actions, 1))
            bytesPerMessage = Int(Double(bytes.load(ordering: .relaxed)) / max(messages, 1))
            perMessage.append((w.cpuMicrosPerAction - b.cpuMicrosPerAction) / max(messagesPerAction, 1e-9))
        }
        print("actor, no viewers: \(tablesFormat(tablesMedian(bare))) µs CPU per action")
        print("actor, 6 players + \(spectators) spectator(s) framed: \(tablesFormat(tablesMedian(wired))) µs CPU per action, "
              + "\(tablesFormat(messagesPerAction)) messages/action in \(tablesFormat(sendsPerAction)) sends, \(bytesPerMessage) wire bytes/message")
        print("views + delivery: \(tablesFormat(tablesMedian(wired) - tablesMedian(bare))) µs per action, "
              + "\(tablesFormat(tablesMedian(perMessage))) µs per delivered message")
        return 0
    } catch {
        printError("felt bench tables: \(error)")
        return 1
    }
})

let benchTablesUsage = """
USAGE: felt bench tables [--seconds S] [--runs R] [--spectators N]

  --seconds S      length of each timed run (default 2)
  --runs R         timed runs; medians are reported (default 3)
  --spectators N   spectators besides the six connected players (default 1)
"""

private func tablesMedian(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

private func tablesFormat(_ x: Double) -> String {
    let tenths = Int((x * 100).rounded())
    let frac = abs(tenths % 100)
    return "\(tenths / 100).\(frac < 10 ? "0" : "")\(frac)"
}

/// A shared message counter.
private final class MessageCounter: Sendable {
    let value = Atomic<Int>(0)
}

/// Counts the messages a viewer is handed, then passes them on.
private final class MessageCountingSink: TableViewerSink {
    let counter: MessageCounter
    let next: any TableViewerSink

    init(counter: MessageCounter, next: any TableViewerSink) {
        self.counter = counter
        self.next = next
    }

    func deliver(_ message: SharedMessage) {
        counter.value.add(1, ordering: .relaxed)
        next.deliver(message)
    }

    func deliver(_ messages: [SharedMessage], then last: SharedMessage?) {
        counter.value.add(messages.count + (last == nil ? 0 : 1), ordering: .relaxed)
        next.deliver(messages, then: last)
    }
}
