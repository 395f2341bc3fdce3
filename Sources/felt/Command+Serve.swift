import FeltAuth
import FeltConfig
import FeltNet
import FeltServer
import Foundation

/// `felt serve`: load the configuration, bring up the database, migrate every tenant,
/// serve HTTP + WebSocket until SIGINT/SIGTERM, then shut down cleanly.
let serveCommand = Subcommand(
    name: "serve",
    summary: "Run the server (HTTP + WebSocket front, tables, database)",
    usage: """
    USAGE: felt serve [--config PATH] [--port N] [--data-dir PATH]

    OPTIONS:
      --config PATH     configuration file (default: config/felt.yaml)
      --port N          listen port, overriding server.listen.port (0: any free port;
                        the ready line shows the one chosen)
      --data-dir PATH   embedded PostgreSQL folder, overriding database.embedded.data_dir

    TEST-ONLY:
      --test-scrypt-log-n N   weaker scrypt cost (2^N) for fast test suites; never in production

    Prints `felt ready on http://HOST:PORT — tenants: …` on standard output once serving;
    logs go to standard error. Exits 0 after SIGINT/SIGTERM, 1 when the configuration is
    invalid or the server cannot start, 2 on a usage mistake.
    """,
    run: { arguments in
        let options: ParsedOptions
        do {
            options = try ParsedOptions(arguments, valued: ["config", "port", "data-dir", "test-scrypt-log-n"])
        } catch {
            printError("felt serve: \(error)\n\n\(serveCommand.usage)")
            return 2
        }
        guard options.positional.isEmpty else {
            printError("felt serve: unexpected argument \(options.positional[0])")
            return 2
        }
        var serve = ServeOptions()
        if let text = options.values["port"] {
            guard let port = Int(text), (0...65535).contains(port) else {
                printError("felt serve: --port must be 0–65535")
                return 2
            }
            serve.port = port
        }
        serve.dataDirectory = options.values["data-dir"]
        if let text = options.values["test-scrypt-log-n"] {
            guard let logN = Int(text), let parameters = try? ScryptParameters(logN: logN, r: 8, p: 1) else {
                printError("felt serve: --test-scrypt-log-n must be in \(ScryptParameters.logNRange)")
                return 2
            }
            serve.scrypt = parameters
            printError("felt serve: WARNING: test-only scrypt cost 2^\(logN); never use this in production")
        }
        let path = options.values["config"] ?? "config/felt.yaml"
        let configuration: FeltConfiguration
        do throws(ConfigErrors) {
            configuration = try FeltConfiguration.load(path: path)
        } catch {
            for issue in error.issues { printError(issue.description) }
            printError("\(path): \(error.issues.count) error\(error.issues.count == 1 ? "" : "s"); configuration rejected")
            return 1
        }
        let app: FeltServerApp
        do throws(ServeError) {
            app = try await FeltServerApp.start(configuration: configuration, options: serve)
        } catch {
            printError("felt serve: \(error)")
            return 1
        }
        FileHandle.standardOutput.write(Data((app.readyLine + "\n").utf8))
        let signal = await TerminationSignal.wait()
        ServerLog.standardError("signal \(signal): shutting down")
        await app.shutdown()
        ServerLog.standardError("stopped")
        return 0
    }
)
