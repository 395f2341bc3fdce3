import Foundation

/// `felt audit`: Check every tenant's ledger for violations.
let auditCommand = Subcommand(
    name: "audit",
    summary: "Check every tenant's ledger for violations",
    usage: "USAGE: felt audit",
    run: { _ in
        printError("felt audit: not implemented yet")
        return 2
    }
)
