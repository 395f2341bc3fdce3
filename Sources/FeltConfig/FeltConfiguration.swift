import Foundation

/// A loaded, fully validated Felt configuration: an immutable snapshot of the YAML files
/// with defaults applied, includes followed, tables expanded and secrets resolved.
public struct FeltConfiguration: Sendable, Equatable {
    /// `server:`.
    public let server: ServerConfig
    /// `database:`.
    public let database: DatabaseSettings
    /// Every tenant, root file first, then included files in include order (globs sorted).
    public let tenants: [TenantConfig]
    /// Lower-case hex SHA-256 of the canonical serialisation: equal for semantically equal
    /// configurations (key order, whitespace, comments and the split into files do not matter).
    public let contentHash: String
    /// The files read, root first (display paths).
    public let files: [String]
    /// Normalised host → index into `tenants`.
    private let hostIndex: [String: Int]

    /// Creates a configuration from parts (the content hash is computed).
    public init(server: ServerConfig, database: DatabaseSettings, tenants: [TenantConfig], files: [String] = []) {
        self.server = server
        self.database = database
        self.tenants = tenants
        self.files = files
        var index: [String: Int] = [:]
        for (position, tenant) in tenants.enumerated() {
            for host in tenant.hosts { index[host] = position }
        }
        hostIndex = index
        contentHash = CanonicalForm.hash(server: server, database: database, tenants: tenants)
    }

    /// The tenant serving `host` (a `Host` header value; normalised here), if any.
    public func tenant(forHost host: String) -> TenantConfig? {
        hostIndex[HostName.normalize(host)].map { tenants[$0] }
    }

    /// The tenant with `id`.
    public func tenant(id: String) -> TenantConfig? { tenants.first { $0.id == id } }

    /// Loads, validates and resolves the configuration at `path`.
    ///
    /// - Parameters:
    ///   - path: the root file; relative paths are relative to the working directory and
    ///     stay relative in messages.
    ///   - environment: where `*_env` references are looked up.
    ///   - limits: bounds against hostile files.
    /// - Throws: ``ConfigErrors`` with every problem found.
    public static func load(path: String, environment: [String: String] = ProcessInfo.processInfo.environment,
                            limits: ConfigLimits = .standard) throws(ConfigErrors) -> FeltConfiguration {
        var decoder = ConfigDecoder(environment: environment, limits: limits)
        var loader = ConfigLoader(limits: limits)
        // Tenants are decoded file by file while the includes are followed, so only one
        // included file's node tree is alive at a time.
        let root = loader.loadRoot(path, decoder: &decoder)
        let server = decoder.server(root?.entry("server")?.value)
        let database = decoder.database(root?.entry("database")?.value)
        if let root, decoder.tenantNodeCount == 0, decoder.issues.isEmpty {
            decoder.report(root.mark, "tenants", .missingKey, "no tenants are defined (add tenants: or include:)")
        }
        let tenants = decoder.tenants

        let issues = ConfigIssue.ordered(decoder.issues, files: decoder.files)
        guard issues.isEmpty else { throw ConfigErrors(issues: issues) }
        return FeltConfiguration(server: server, database: database, tenants: tenants, files: decoder.files)
    }
}

/// A configuration with the generation number hot reload assigns to it.
public struct ConfigSnapshot: Sendable, Equatable {
    /// 1 for the configuration loaded at start, then one more per applied reload.
    public let generation: Int
    /// The configuration.
    public let configuration: FeltConfiguration

    /// Creates a snapshot.
    public init(generation: Int, configuration: FeltConfiguration) {
        self.generation = generation
        self.configuration = configuration
    }

    /// The configuration's content hash.
    public var contentHash: String { configuration.contentHash }
}

extension ConfigIssue {
    /// Removes exact repeats (a bad inherited default is seen once per tenant) and orders
    /// by file (load order), then position.
    static func ordered(_ issues: [ConfigIssue], files: [String]) -> [ConfigIssue] {
        var seen = Set<ConfigIssue>()
        var unique: [ConfigIssue] = []
        for issue in issues where seen.insert(issue).inserted { unique.append(issue) }
        var fileOrder: [String: Int] = [:]
        for (index, file) in files.enumerated() where fileOrder[file] == nil { fileOrder[file] = index }
        return unique.enumerated().sorted { lhs, rhs in
            let left = (fileOrder[lhs.element.file] ?? Int.max, lhs.element.line, lhs.element.column, lhs.offset)
            let right = (fileOrder[rhs.element.file] ?? Int.max, rhs.element.line, rhs.element.column, rhs.offset)
            return left < right
        }.map(\.element)
    }
}
