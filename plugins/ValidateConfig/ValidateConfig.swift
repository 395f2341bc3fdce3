import Foundation
import PackagePlugin

/// `swift package validate-config [PATH]`: runs `felt check-config` on PATH
/// (default `config/felt.yaml`) and fails when the configuration is invalid.
@main
struct ValidateConfig: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let felt = try context.tool(named: "felt")
        let path = arguments.first ?? context.package.directoryURL.appendingPathComponent("config/felt.yaml").path
        let process = Process()
        process.executableURL = felt.url
        process.arguments = ["check-config", path]
        try process.run()
        process.waitUntilExit()
        if process.terminationStatus != 0 {
            Diagnostics.error("configuration \(path) is invalid (see the errors above)")
            throw ValidationFailed(status: process.terminationStatus)
        }
    }
}

/// Thrown when `felt check-config` reports errors.
struct ValidationFailed: Error, CustomStringConvertible {
    let status: Int32
    var description: String { "felt check-config exited with status \(status)" }
}
