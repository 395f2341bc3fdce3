import FeltConfig
import FeltServer
import Foundation

/// `felt audit`: checks every tenant's journal and exits 1 on any violation.
let auditCommand = Subcommand(
    name: "audit",
    summary: "Check every tenant's ledger for violations",
    usage: """
    USAGE: felt audit [--config PATH] [--data-dir PATH] [--server-stopped | --server-running]

    Checks every tenant's double-entry journal: each entry's postings sum to zero, every
    balance equals the sum of its postings, the balances sum to zero, and no account but
    issuance is negative. With the server stopped, every escrow must be empty too (`felt serve`
    cashes everyone out at shutdown, and returns escrows left by a crash when it starts).

    OPTIONS:
      --config PATH      configuration file (default: config/felt.yaml)
      --data-dir PATH    embedded PostgreSQL folder, overriding database.embedded.data_dir
      --server-stopped   require empty escrows (default for an embedded cluster that was not running)
      --server-running   only list open escrows (default when the embedded cluster is running)

    Prints each violation and a summary per tenant. Exits 0 when clean, 1 on any violation
    or when the database cannot be read, 2 on a usage mistake.
    """,
    run: { arguments in
        let options: ParsedOptions
        do {
            options = try ParsedOptions(arguments, valued: ["config", "data-dir"], flags: ["server-stopped", "server-running"])
        } catch {
            printError("felt audit: \(error)\n\n\(auditCommand.usage)")
            return 2
        }
        guard options.positional.isEmpty else {
            printError("felt audit: unexpected argument \(options.positional[0])")
            return 2
        }
        let stoppedFlag = options.flags.contains("server-stopped")
        let runningFlag = options.flags.contains("server-running")
        guard !(stoppedFlag && runningFlag) else {
            printError("felt audit: --server-stopped and --server-running exclude each other")
            return 2
        }
        let path = options.values["config"] ?? "config/felt.yaml"
        let configuration: FeltConfiguration
        do throws(ConfigErrors) {
            configuration = try FeltConfiguration.load(path: path)
        } catch {
            for issue in error.issues { printError(issue.description) }
            printError("\(path): configuration rejected")
            return 1
        }
        let result = await LedgerAuditCommand.run(configuration: configuration, dataDirectory: options.values["data-dir"],
                                                  serverStopped: stoppedFlag ? true : (runningFlag ? false : nil),
                                                  print: { line in print(line) })
        switch result {
        case .failure(let error):
            printError("felt audit: \(error)")
            return 1
        case .success(let report):
            let count = report.violationCount
            print("audit: \(report.audits.count) tenant(s), escrows \(report.escrowsChecked ? "checked (server stopped)" : "listed only (server running)"): "
                  + (count == 0 ? "clean" : "\(count) violation(s)"))
            return count == 0 ? 0 : 1
        }
    }
)
