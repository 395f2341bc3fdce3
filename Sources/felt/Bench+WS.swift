import FeltNet
import Foundation

/// `felt bench ws`: WebSocket connection memory and broadcast latency; with
/// `--autobahn-echo` it instead serves the Autobahn echo endpoint (a test flag).
let benchWS = Benchmark(name: "ws", summary: "WebSocket memory and broadcast latency", run: { arguments in
    let options: ParsedOptions
    do {
        options = try ParsedOptions(arguments, valued: ["port", "loops", "connections", "rounds"], flags: ["autobahn-echo"])
    } catch {
        printError("felt bench ws: \(error)")
        return 2
    }
    if options.flags.contains("autobahn-echo") {
        return await serveAutobahnEcho(port: Int(options.values["port"] ?? "9001") ?? 9001,
                                       loops: Int(options.values["loops"] ?? "") ?? ProcessInfo.processInfo.activeProcessorCount)
    }
    printError("felt bench ws: not implemented yet")
    return 2
})

/// Serves a WebSocket echo on every path and host (test use only) until SIGTERM/SIGINT.
func serveAutobahnEcho(port: Int, loops: Int) async -> Int32 {
    do {
        let group = try EventLoopGroup(loopCount: loops)
        let server = AutobahnEcho.makeServer(port: port, group: group)
        try server.start()
        print("autobahn echo listening on 127.0.0.1:\(server.port)")
        FileHandle.standardOutput.synchronizeFile()
        _ = await TerminationSignal.wait()
        await server.shutdown(timeout: .seconds(2))
        group.shutdown()
        return 0
    } catch {
        printError("felt bench ws --autobahn-echo: \(error)")
        return 1
    }
}
