// swift-tools-version:6.0
import PackageDescription

/// Felt: a configuration-driven, multi-tenant poker server.
///
/// No package dependencies by design: Foundation, Dispatch, Glibc and the
/// system-library modules under `Modules/` only.
let package = Package(
    name: "Felt",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "felt", targets: ["felt"]),
        .plugin(name: "ValidateConfig", targets: ["ValidateConfig"]),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(name: "CLibPQ", path: "Modules/CLibPQ", pkgConfig: "libpq",
                       providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "COpenSSL", path: "Modules/COpenSSL", pkgConfig: "openssl",
                       providers: [.apt(["libssl-dev"])]),
        .systemLibrary(name: "CYAML", path: "Modules/CYAML", pkgConfig: "yaml-0.1",
                       providers: [.apt(["libyaml-dev"])]),
        .systemLibrary(name: "CLinuxSys", path: "Modules/CLinuxSys"),

        // MARK: Libraries (dependencies point downward)
        .target(name: "PokerEngine", dependencies: ["COpenSSL"]),
        .target(name: "FeltConfig", dependencies: ["CYAML", "COpenSSL"]),
        .target(name: "FeltNet", dependencies: ["CLinuxSys", "COpenSSL"]),
        .target(name: "FeltStore", dependencies: ["CLibPQ"]),
        .target(name: "FeltAuth", dependencies: ["COpenSSL"]),
        .target(name: "FeltTables", dependencies: ["PokerEngine"]),
        .target(name: "FeltServer",
                dependencies: ["FeltConfig", "FeltNet", "FeltStore", "FeltAuth", "FeltTables", "PokerEngine"]),
        .executableTarget(name: "felt", dependencies: ["FeltServer"]),
        .target(name: "FeltTestSupport", dependencies: ["FeltStore"]),

        // MARK: Plugins
        .plugin(name: "ValidateConfig",
                capability: .command(
                    intent: .custom(verb: "validate-config",
                                    description: "Validate a Felt configuration (default: config/felt.yaml)")),
                dependencies: ["felt"],
                path: "plugins/ValidateConfig"),

        // MARK: Tests
        .testTarget(name: "PokerEngineTests", dependencies: ["PokerEngine", "FeltTestSupport", "felt"]),
        .testTarget(name: "FeltConfigTests", dependencies: ["FeltConfig", "FeltTestSupport", "felt"]),
        .testTarget(name: "FeltNetTests", dependencies: ["FeltNet", "FeltTestSupport"]),
        .testTarget(name: "FeltStoreTests", dependencies: ["FeltStore", "FeltTestSupport"]),
        .testTarget(name: "FeltAuthTests", dependencies: ["FeltAuth", "FeltTestSupport"]),
        .testTarget(name: "FeltTablesTests", dependencies: ["FeltTables", "FeltTestSupport"]),
        .testTarget(name: "FeltServerTests", dependencies: ["FeltServer", "FeltTestSupport", "felt"]),
    ],
    swiftLanguageModes: [.v6]
)
