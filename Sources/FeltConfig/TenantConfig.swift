/// One club: its hosts, JWT keys, wallet, limits, table types and tables.
public struct TenantConfig: Sendable, Equatable, Identifiable {
    /// `[a-z][a-z0-9_]{0,39}`, usable as a PostgreSQL schema suffix (`tenant_<id>`).
    public let id: String
    /// Display name (default: the id).
    public let name: String
    /// Normalised hosts (lower-case, no port, no trailing dot), unique across all tenants.
    public let hosts: [String]
    /// Token settings and keys.
    public let jwt: JWTConfig
    /// Wallet settings.
    public let wallet: WalletConfig
    /// Limits.
    public let limits: LimitsConfig
    /// Table types in file order.
    public let tableTypes: [TableTypeConfig]
    /// Tables in file order, `count:` entries expanded to `<type>-1 … <type>-N`.
    public let tables: [TableConfig]

    /// Creates a tenant.
    public init(id: String, name: String, hosts: [String], jwt: JWTConfig, wallet: WalletConfig, limits: LimitsConfig,
                tableTypes: [TableTypeConfig], tables: [TableConfig]) {
        self.id = id
        self.name = name
        self.hosts = hosts
        self.jwt = jwt
        self.wallet = wallet
        self.limits = limits
        self.tableTypes = tableTypes
        self.tables = tables
    }

    /// The PostgreSQL schema holding this tenant's data.
    public var schemaName: String { "tenant_" + id }

    /// The table type with `id`.
    public func tableType(_ id: String) -> TableTypeConfig? { tableTypes.first { $0.id == id } }
    /// The table with `id`.
    public func table(_ id: String) -> TableConfig? { tables.first { $0.id == id } }
}

/// `tenants[].jwt`.
public struct JWTConfig: Sendable, Equatable {
    /// `iss` claim (default `felt/<tenant id>`).
    public let issuer: String
    /// Access-token lifetime (default 15m).
    public let accessTTL: ConfigDuration
    /// Refresh-token lifetime (default 30d).
    public let refreshTTL: ConfigDuration
    /// Keys in file order; at least one is active.
    public let keys: [JWTKeyConfig]

    /// Creates a JWT section.
    public init(issuer: String, accessTTL: ConfigDuration, refreshTTL: ConfigDuration, keys: [JWTKeyConfig]) {
        self.issuer = issuer
        self.accessTTL = accessTTL
        self.refreshTTL = refreshTTL
        self.keys = keys
    }

    /// The key new tokens are signed with: the first `active` key.
    public var signingKey: JWTKeyConfig? { keys.first { $0.state == .active } }
}

/// One JWT key.
public struct JWTKeyConfig: Sendable, Equatable {
    /// Signature algorithm.
    public enum Algorithm: String, Sendable, Equatable, CaseIterable {
        /// HMAC-SHA256 with a shared secret of at least 32 bytes.
        case hs256 = "HS256"
        /// Ed25519; the material is a PEM private key.
        case edDSA = "EdDSA"
    }

    /// Whether the key signs new tokens or only verifies old ones.
    public enum State: String, Sendable, Equatable, CaseIterable {
        /// Signs and verifies.
        case active
        /// Verifies tokens signed earlier; never signs.
        case verifyOnly = "verify_only"
    }

    /// `kid` header value, unique within the tenant.
    public let kid: String
    /// Algorithm.
    public let algorithm: Algorithm
    /// State.
    public let state: State
    /// HS256: the shared secret; EdDSA: the PEM text of the private key file.
    public let material: SecretValue

    /// Creates a key.
    public init(kid: String, algorithm: Algorithm, state: State, material: SecretValue) {
        self.kid = kid
        self.algorithm = algorithm
        self.state = state
        self.material = material
    }
}

/// `tenants[].wallet`.
public struct WalletConfig: Sendable, Equatable {
    /// Chips credited to a new account (default 10000).
    public let startingBalance: Int64
    /// What chips are called in this club (default `chips`).
    public let chipName: String

    /// Creates a wallet section.
    public init(startingBalance: Int64, chipName: String) {
        self.startingBalance = startingBalance
        self.chipName = chipName
    }
}

/// `tenants[].limits`.
public struct LimitsConfig: Sendable, Equatable {
    /// Most tables the tenant may run (default 100); configured tables must fit.
    public let maxTables: Int
    /// Most players seated at once across the tenant (default 1000).
    public let maxSeatedPlayers: Int
    /// Login attempts per client address (default 10/1m).
    public let loginRate: RateLimit
    /// Registrations per client address (default 5/1h).
    public let registerRate: RateLimit

    /// Creates a limits section.
    public init(maxTables: Int, maxSeatedPlayers: Int, loginRate: RateLimit, registerRate: RateLimit) {
        self.maxTables = maxTables
        self.maxSeatedPlayers = maxSeatedPlayers
        self.loginRate = loginRate
        self.registerRate = registerRate
    }
}
