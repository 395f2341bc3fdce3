import FeltConfig
import Foundation

/// `felt check-config PATH`: validate a configuration and print a summary (exit 0), or
/// print every error (exit 1). Usage mistakes exit 2.
let checkConfigCommand = Subcommand(
    name: "check-config",
    summary: "Validate a configuration and print a summary",
    usage: """
    USAGE: felt check-config PATH
           felt check-config --config PATH

    Loads and validates the configuration at PATH (and every file it includes).
    Prints a summary and exits 0 when it is valid; prints every problem as
    `file:line:column key.path: message` and exits 1 when it is not.
    """,
    run: { arguments in
        let options: ParsedOptions
        do {
            options = try ParsedOptions(arguments, valued: ["config"])
        } catch {
            printError("felt check-config: \(error)\n\nUSAGE: felt check-config PATH")
            return 2
        }
        let paths = options.positional + (options.values["config"].map { [$0] } ?? [])
        guard paths.count == 1, let path = paths.first else {
            printError("felt check-config: expected exactly one PATH\n\nUSAGE: felt check-config PATH")
            return 2
        }
        do throws(ConfigErrors) {
            let configuration = try FeltConfiguration.load(path: path)
            print(configurationSummary(configuration, path: path), terminator: "")
            return 0
        } catch {
            for issue in error.issues { printError(issue.description) }
            printError("\(path): \(error.issues.count) error\(error.issues.count == 1 ? "" : "s"); configuration rejected")
            return 1
        }
    }
)

/// The short summary `check-config` prints for a valid configuration.
func configurationSummary(_ configuration: FeltConfiguration, path: String) -> String {
    let tenants = configuration.tenants
    let hosts = tenants.reduce(0) { $0 + $1.hosts.count }
    let types = tenants.reduce(0) { $0 + $1.tableTypes.count }
    let tables = tenants.reduce(0) { $0 + $1.tables.count }
    var text = "\(path): OK (\(configuration.files.count) file\(configuration.files.count == 1 ? "" : "s"))\n"
    text += "tenants: \(tenants.count), hosts: \(hosts), table types: \(types), tables: \(tables)\n"
    if tenants.count <= 20 {
        for tenant in tenants {
            text += "  \(tenant.id) (\(tenant.name)): \(tenant.hosts.joined(separator: ", "))"
            text += "; table types: \(tenant.tableTypes.map(\.id).joined(separator: ", "))"
            text += "; tables: \(tenant.tables.count)\n"
        }
    }
    text += "content hash: sha256:\(configuration.contentHash)\n"
    return text
}
