extension ConfigDecoder {
    /// Reads `defaults` from the root file (before any tenant is decoded).
    mutating func prepareDefaults(_ root: Fields) {
        guard let entry = root.entry("defaults"),
              let defaults = fields(entry.value, "defaults", allowed: ["jwt", "wallet", "limits", "table_type"]) else { return }
        var inherited: [YAMLEntry] = []
        for entry in defaults.entries {
            guard case .mapping = entry.value else {
                report(entry.value.mark, defaults.path(of: entry), .wrongType, "expected a mapping, got \(entry.value.kindDescription)")
                continue
            }
            if entry.key.value == "table_type" { tableTypeDefaults = entry.value } else { inherited.append(entry) }
        }
        tenantDefaults = .mapping(inherited, defaults.mark)
    }

    /// Decodes one file's `tenants` list on its own (no checks across tenants); the
    /// outcomes are merged in file order by ``merge(_:)``. Safe to run on a copy of the
    /// decoder on another thread.
    mutating func tenantOutcomes(_ items: [YAMLNode]) -> [TenantOutcome] {
        var outcomes: [TenantOutcome] = []
        outcomes.reserveCapacity(items.count)
        for (index, node) in items.enumerated() {
            let idText = ConfigDecoder.idText(node)
            var idMark: Mark?
            if idText != nil, case .mapping(let entries, _) = node {
                idMark = entries.first(where: { $0.key.value == "id" })?.value.mark
            }
            let path = "tenants[\(idText ?? String(index))]"
            let merged = tenantDefaults.map { node.merged(over: $0, basePath: "defaults") } ?? node
            let before = issues.count
            let (tenant, hosts) = self.tenant(merged, path, tableTypeDefaults: tableTypeDefaults)
            outcomes.append(TenantOutcome(idText: idText, idMark: idMark, path: path, owner: idText ?? path, hosts: hosts,
                                          tenant: tenant, issues: Array(issues[before...])))
            issues.removeSubrange(before...)
        }
        return outcomes
    }

    /// Adds decoded tenants in file order, checking tenant ids and hosts across all tenants.
    mutating func merge(_ outcomes: [TenantOutcome]) {
        tenantNodeCount += outcomes.count
        for outcome in outcomes {
            if let idText = outcome.idText, let idMark = outcome.idMark {
                if let first = tenantIDs[idText] {
                    report(idMark, outcome.path + ".id", .duplicateID,
                           "duplicate tenant id '\(idText)' (first defined at \(place(first)))")
                    continue
                }
                tenantIDs[idText] = idMark
            }
            issues.append(contentsOf: outcome.issues)
            var clash = false
            for claim in outcome.hosts {
                if let owner = hostOwners[claim.host] {
                    let who = owner.tenant == outcome.owner ? "this tenant" : "tenant \(owner.tenant)"
                    report(claim.mark, claim.path, .duplicateHost,
                           "host '\(claim.host)' is already used by \(who) (\(place(owner.mark)))")
                    clash = true
                    continue
                }
                hostOwners[claim.host] = (outcome.owner, claim.mark)
            }
            if !clash, let tenant = outcome.tenant { tenants.append(tenant) }
        }
    }

    static let tenantKeys = ["id", "name", "hosts", "jwt", "wallet", "limits", "table_types", "tables"]
    static let reservedTenantIDs: Set<String> = ["admin", "api", "default", "felt", "information_schema", "public",
                                                  "postgres", "system", "template0", "template1", "www"]

    /// Whether `id` matches `[a-z][a-z0-9_]{0,39}`.
    static func isTenantID(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard let first = utf8.first, utf8.count <= 40, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else { return false }
        return utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") }
    }

    /// Whether `id` matches `[a-z0-9][a-z0-9_-]{0,63}` (table types and tables).
    static func isSlug(_ id: String) -> Bool {
        let utf8 = id.utf8
        guard let first = utf8.first, utf8.count <= 64, first != UInt8(ascii: "-"), first != UInt8(ascii: "_") else { return false }
        return utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    /// Whether `kid` matches `[A-Za-z0-9._-]{1,64}`.
    static func isKeyID(_ kid: String) -> Bool {
        let utf8 = kid.utf8
        guard !utf8.isEmpty, utf8.count <= 64 else { return false }
        return utf8.allSatisfy { ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || ($0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z")) || ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".") }
    }

    /// The text of a mapping's `id` scalar, for key paths (`nil` when absent or not a scalar).
    static func idText(_ node: YAMLNode) -> String? {
        guard case .mapping(let entries, _) = node else { return nil }
        for entry in entries where entry.key.value == "id" {
            if case .scalar(let scalar) = entry.value, !scalar.isNull, !scalar.value.isEmpty { return scalar.value }
        }
        return nil
    }

    /// One tenant, already merged over `defaults`. `path` is `tenants[<id or index>]`.
    /// Also returns its syntactically valid hosts, which ``merge(_:)`` checks across tenants.
    mutating func tenant(_ node: YAMLNode, _ path: String,
                         tableTypeDefaults: YAMLNode?) -> (TenantConfig?, [TenantOutcome.HostClaim]) {
        guard let fields = fields(node, path, allowed: ConfigDecoder.tenantKeys) else { return (nil, []) }
        let before = issues.count
        var id: String?
        if let entry = require(fields, "id"), let value = string(entry.value, fields.path(of: entry)) {
            if !ConfigDecoder.isTenantID(value) {
                report(entry.value.mark, fields.path(of: entry), .invalidID,
                       "'\(value)' is not a valid tenant id; use [a-z][a-z0-9_]{0,39} (it becomes the PostgreSQL schema tenant_<id>)")
            } else if ConfigDecoder.reservedTenantIDs.contains(value) || value.hasPrefix("pg_") {
                report(entry.value.mark, fields.path(of: entry), .reservedID, "'\(value)' is reserved; choose another tenant id")
            } else {
                id = value
            }
        }
        var name = id ?? ""
        if let entry = fields.entry("name"), let value = text(entry.value, fields.path(of: entry)) { name = value }
        var hosts: [String] = []
        var claims: [TenantOutcome.HostClaim] = []
        if let entry = require(fields, "hosts"), let items = list(entry.value, fields.path(of: entry)) {
            let hostsPath = fields.path(of: entry)
            if items.isEmpty { report(entry.value.mark, hostsPath, .invalidValue, "must list at least one host") }
            for (index, item) in items.enumerated() {
                let itemPath = "\(hostsPath)[\(index)]"
                guard let raw = string(item, itemPath) else { continue }
                let host = HostName.normalize(raw)
                guard HostName.isValid(host) else {
                    report(item.mark, itemPath, .invalidHost, "'\(raw)' is not a valid host name")
                    continue
                }
                claims.append(TenantOutcome.HostClaim(host: host, mark: item.mark, path: itemPath))
                hosts.append(host)
            }
        }
        let jwt = fields.entry("jwt").flatMap { jwtConfig($0.value, fields.path(of: $0), tenantID: id ?? "") }
        if !fields.has("jwt") { report(fields.mark, fields.childPath("jwt"), .missingKey, "missing required key") }
        let wallet = walletConfig(fields.entry("wallet").map { ($0.value, fields.path(of: $0)) })
        let limits = limitsConfig(fields.entry("limits").map { ($0.value, fields.path(of: $0)) })

        var tableTypes: [TableTypeConfig] = []
        var typeMarks: [String: Mark] = [:]
        if let entry = fields.entry("table_types"), let items = list(entry.value, fields.path(of: entry)) {
            let typesPath = fields.path(of: entry)
            for (index, item) in items.enumerated() {
                let itemID = ConfigDecoder.idText(item) ?? String(index)
                let merged = tableTypeDefaults.map { item.merged(over: $0, basePath: "defaults.table_type") } ?? item
                guard let type = tableType(merged, base: typesPath, item: itemID) else { continue }
                if let first = typeMarks[type.value.id] {
                    report(type.idMark, "\(typesPath)[\(itemID)].id", .duplicateID,
                           "duplicate table type id '\(type.value.id)' (first defined at \(place(first)))")
                    continue
                }
                typeMarks[type.value.id] = type.idMark
                tableTypes.append(type.value)
            }
        }
        var tables: [TableConfig] = []
        if let entry = fields.entry("tables"), let items = list(entry.value, fields.path(of: entry)) {
            tables = self.tables(items, fields.path(of: entry), types: tableTypes,
                                 typesDeclared: Set(fields.entry("table_types").map { ConfigDecoder.declaredIDs($0.value) } ?? []))
            if let limits, tables.count > limits.maxTables {
                report(entry.key.mark, fields.path(of: entry), .limitExceeded,
                       "\(tables.count) tables are configured but limits.max_tables is \(limits.maxTables)")
            }
        }
        guard issues.count == before, let id, let jwt, let wallet, let limits else { return (nil, claims) }
        return (TenantConfig(id: id, name: name, hosts: hosts, jwt: jwt, wallet: wallet, limits: limits,
                             tableTypes: tableTypes, tables: tables), claims)
    }

    /// Every `id` written in a list of mappings (to tell "unknown type" from "type with errors").
    static func declaredIDs(_ node: YAMLNode) -> [String] {
        guard case .sequence(let items, _) = node else { return [] }
        return items.compactMap { idText($0) }
    }

    mutating func jwtConfig(_ node: YAMLNode, _ path: String, tenantID: String) -> JWTConfig? {
        guard let fields = fields(node, path, allowed: ["issuer", "access_ttl", "refresh_ttl", "keys"]) else { return nil }
        var issuer = "felt/" + tenantID
        if let entry = fields.entry("issuer"), let value = text(entry.value, fields.path(of: entry), maxLength: 500) { issuer = value }
        var access = ConfigDuration(milliseconds: 15 * 60_000)
        if let entry = fields.entry("access_ttl"), let value = positiveDuration(entry.value, fields.path(of: entry)) { access = value }
        var refresh = ConfigDuration.seconds(30 * 86_400)
        var refreshEntry: YAMLEntry?
        if let entry = fields.entry("refresh_ttl"), let value = positiveDuration(entry.value, fields.path(of: entry)) {
            refresh = value
            refreshEntry = entry
        }
        if refresh <= access {
            let mark = refreshEntry?.value.mark ?? fields.mark
            report(mark, refreshEntry.map { fields.path(of: $0) } ?? fields.childPath("refresh_ttl"), .outOfRange,
                   "must be longer than access_ttl (\(access))")
        }
        var keys: [JWTKeyConfig] = []
        guard let entry = require(fields, "keys"), let items = list(entry.value, fields.path(of: entry)) else { return nil }
        let keysPath = fields.path(of: entry)
        var kids: [String: Mark] = [:]
        var failed = false
        for (index, item) in items.enumerated() {
            let itemPath = "\(keysPath)[\(ConfigDecoder.kidText(item) ?? String(index))]"
            guard let key = jwtKey(item, itemPath) else { failed = true; continue }
            if let first = kids[key.value.kid] {
                report(key.kidMark, itemPath + ".kid", .duplicateID,
                       "duplicate key id '\(key.value.kid)' (first defined at \(place(first)))")
                failed = true
                continue
            }
            kids[key.value.kid] = key.kidMark
            keys.append(key.value)
        }
        if items.isEmpty {
            report(entry.value.mark, keysPath, .invalidValue, "must list at least one key")
            return nil
        }
        if !failed, !keys.contains(where: { $0.state == .active }) {
            report(entry.value.mark, keysPath, .invalidValue, "needs at least one key with state active")
            return nil
        }
        return failed ? nil : JWTConfig(issuer: issuer, accessTTL: access, refreshTTL: refresh, keys: keys)
    }

    static func kidText(_ node: YAMLNode) -> String? {
        guard case .mapping(let entries, _) = node else { return nil }
        for entry in entries where entry.key.value == "kid" {
            if case .scalar(let scalar) = entry.value, !scalar.isNull, !scalar.value.isEmpty { return scalar.value }
        }
        return nil
    }

    mutating func jwtKey(_ node: YAMLNode, _ path: String) -> (value: JWTKeyConfig, kidMark: Mark)? {
        guard let fields = fields(node, path, allowed: ["kid", "alg", "state", "secret_env", "secret_file", "key_file"]) else { return nil }
        let before = issues.count
        var kid: String?
        var kidMark = fields.mark
        if let entry = require(fields, "kid"), let value = string(entry.value, fields.path(of: entry)) {
            kidMark = entry.value.mark
            if ConfigDecoder.isKeyID(value) { kid = value }
            else { report(entry.value.mark, fields.path(of: entry), .invalidID, "'\(value)' is not a valid key id; use [A-Za-z0-9._-]{1,64}") }
        }
        var algorithm: JWTKeyConfig.Algorithm?
        if let entry = require(fields, "alg"),
           let value = choice(entry.value, fields.path(of: entry), JWTKeyConfig.Algorithm.allCases.map(\.rawValue)) {
            algorithm = JWTKeyConfig.Algorithm(rawValue: value)
        }
        var state = JWTKeyConfig.State.active
        if let entry = fields.entry("state"),
           let value = choice(entry.value, fields.path(of: entry), JWTKeyConfig.State.allCases.map(\.rawValue)),
           let parsed = JWTKeyConfig.State(rawValue: value) {
            state = parsed
        }
        var material: SecretValue?
        switch algorithm {
        case .hs256:
            if let entry = fields.entry("key_file") {
                report(entry.key.mark, fields.path(of: entry), .conflictingKeys,
                       "an HS256 key takes secret_env or secret_file, not key_file")
            } else if case .value(let secret) = secret(fields, env: "secret_env", file: "secret_file",
                                                        required: "an HS256 key needs secret_env or secret_file") {
                if secret.bytes.count < 32 {
                    let entry = fields.entry("secret_env") ?? fields.entry("secret_file")
                    report(entry?.value.mark ?? fields.mark, entry.map { fields.path(of: $0) } ?? path, .secretTooShort,
                           "HS256 secret from \(secret.source) is \(secret.bytes.count) bytes; at least 32 are required")
                } else {
                    material = secret
                }
            }
        case .edDSA:
            if let entry = fields.entry("secret_env") ?? fields.entry("secret_file") {
                report(entry.key.mark, fields.path(of: entry), .conflictingKeys,
                       "an EdDSA key takes key_file, not \(entry.key.value)")
            } else if case .value(let secret) = secret(fields, env: nil, file: "key_file", required: "an EdDSA key needs key_file") {
                let entry = fields.entry("key_file")
                if secret.text.contains("-----BEGIN ") && secret.text.contains("PRIVATE KEY-----") {
                    material = secret
                } else {
                    report(entry?.value.mark ?? fields.mark, entry.map { fields.path(of: $0) } ?? path, .invalidKeyFile,
                           "\(secret.source.dropFirst(5)) is not a PEM private key (expected a -----BEGIN PRIVATE KEY----- block)")
                }
            }
        case nil:
            break
        }
        guard issues.count == before, let kid, let algorithm, let material else { return nil }
        return (JWTKeyConfig(kid: kid, algorithm: algorithm, state: state, material: material), kidMark)
    }

    mutating func walletConfig(_ input: (YAMLNode, String)?) -> WalletConfig? {
        var balance: Int64 = 10_000
        var chipName = "chips"
        guard let (node, path) = input else { return WalletConfig(startingBalance: balance, chipName: chipName) }
        guard let fields = fields(node, path, allowed: ["starting_balance", "chip_name"]) else { return nil }
        let before = issues.count
        if let entry = fields.entry("starting_balance"),
           let value = integer(entry.value, fields.path(of: entry), in: 0...1_000_000_000_000_000, "must be between 0 and 10^18") {
            balance = value
        }
        if let entry = fields.entry("chip_name"), let value = text(entry.value, fields.path(of: entry), maxLength: 32) { chipName = value }
        return issues.count == before ? WalletConfig(startingBalance: balance, chipName: chipName) : nil
    }

    mutating func limitsConfig(_ input: (YAMLNode, String)?) -> LimitsConfig? {
        var maxTables = 100, maxSeated = 1000
        var login = RateLimit(count: 10, period: .seconds(60))
        var register = RateLimit(count: 5, period: .seconds(3600))
        guard let (node, path) = input else {
            return LimitsConfig(maxTables: maxTables, maxSeatedPlayers: maxSeated, loginRate: login, registerRate: register)
        }
        guard let fields = fields(node, path, allowed: ["max_tables", "max_seated_players", "login_rate", "register_rate"]) else { return nil }
        let before = issues.count
        if let entry = fields.entry("max_tables"), let value = integer(entry.value, fields.path(of: entry), in: 1...100_000) {
            maxTables = Int(value)
        }
        if let entry = fields.entry("max_seated_players"), let value = integer(entry.value, fields.path(of: entry), in: 1...10_000_000) {
            maxSeated = Int(value)
        }
        if let entry = fields.entry("login_rate"), let value = rate(entry.value, fields.path(of: entry)) { login = value }
        if let entry = fields.entry("register_rate"), let value = rate(entry.value, fields.path(of: entry)) { register = value }
        guard issues.count == before else { return nil }
        return LimitsConfig(maxTables: maxTables, maxSeatedPlayers: maxSeated, loginRate: login, registerRate: register)
    }
}

/// One tenant decoded on its own, waiting for the checks across tenants.
struct TenantOutcome: Sendable {
    /// A host the tenant lists, with where.
    struct HostClaim: Sendable {
        let host: String
        let mark: Mark
        let path: String
    }

    let idText: String?
    let idMark: Mark?
    let path: String
    /// How host clashes name this tenant.
    let owner: String
    let hosts: [HostClaim]
    /// `nil` when the tenant has problems of its own.
    let tenant: TenantConfig?
    /// The tenant's own problems (dropped with it when its id is a duplicate).
    let issues: [ConfigIssue]
}
