import COpenSSL

/// The canonical serialisation behind ``FeltConfiguration/contentHash``: every resolved
/// value in a fixed field order, tenants sorted by id, secrets replaced by their SHA-256.
enum CanonicalForm {
    struct Writer {
        var bytes: [UInt8] = []

        /// `name=<length>:value\n` — length-prefixed, so no value can imitate another field.
        mutating func field(_ name: String, _ value: String) {
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: "="))
            decimal(Int64(value.utf8.count))
            bytes.append(UInt8(ascii: ":"))
            bytes.append(contentsOf: value.utf8)
            bytes.append(0x0A)
        }
        /// `name#digits\n` for numbers (digits cannot contain a newline).
        mutating func field(_ name: String, _ value: Int64) {
            bytes.append(contentsOf: name.utf8)
            bytes.append(UInt8(ascii: "#"))
            decimal(value)
            bytes.append(0x0A)
        }
        mutating func field(_ name: String, _ value: Int) { field(name, Int64(value)) }

        /// Appends the decimal digits of `value` without building a String.
        mutating func decimal(_ value: Int64) {
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            var magnitude = value.magnitude
            let start = bytes.count
            repeat {
                bytes.append(UInt8(truncatingIfNeeded: 48 + magnitude % 10))
                magnitude /= 10
            } while magnitude > 0
            bytes[start...].reverse()
        }
        mutating func field(_ name: String, _ value: Bool) { field(name, value ? "true" : "false") }
        mutating func field(_ name: String, _ value: ConfigDuration) { field(name, value.milliseconds) }
        mutating func field(_ name: String, _ value: RateLimit) {
            field(name + ".count", value.count)
            field(name + ".period", value.period.milliseconds)
        }
        mutating func field(_ name: String, _ value: SecretValue?) {
            field(name, value.map { CanonicalForm.sha256Hex($0.bytes) } ?? "-")
        }
    }

    static func hash(server: ServerConfig, database: DatabaseSettings, tenants: [TenantConfig]) -> String {
        var out = Writer()
        out.bytes.reserveCapacity(4096 + tenants.count * 4096)
        out.field("felt.canonical", 1)
        out.field("server.listen.host", server.listenHost)
        out.field("server.listen.port", server.listenPort)
        out.field("server.event_loops", server.eventLoops)
        out.field("server.base_domain", server.baseDomain)
        out.field("server.admin_token", server.adminToken)
        out.field("server.heartbeat_interval", server.heartbeatInterval)
        out.field("server.max_body", server.maxBodyBytes)
        out.field("server.reconnect_grace", server.reconnectGrace)
        out.field("server.hand_pause", server.handPause)
        out.field("server.sit_out_timeout", server.sitOutTimeout)
        out.field("server.ws_message_rate", server.wsMessageRate)
        switch database.kind {
        case .embedded(let folder): out.field("database.embedded", folder)
        case .url(let url): out.field("database.url", url)
        }
        out.field("database.max_connections", database.maxConnections)
        for tenant in tenants.sorted(by: { $0.id < $1.id }) {
            out.field("tenant", tenant.id)
            out.field("name", tenant.name)
            for host in tenant.hosts.sorted() { out.field("host", host) }
            out.field("jwt.issuer", tenant.jwt.issuer)
            out.field("jwt.access_ttl", tenant.jwt.accessTTL)
            out.field("jwt.refresh_ttl", tenant.jwt.refreshTTL)
            for key in tenant.jwt.keys {
                out.field("jwt.key", key.kid)
                out.field("alg", key.algorithm.rawValue)
                out.field("state", key.state.rawValue)
                out.field("material", key.material)
            }
            out.field("wallet.starting_balance", tenant.wallet.startingBalance)
            out.field("wallet.chip_name", tenant.wallet.chipName)
            out.field("limits.max_tables", tenant.limits.maxTables)
            out.field("limits.max_seated_players", tenant.limits.maxSeatedPlayers)
            out.field("limits.login_rate", tenant.limits.loginRate)
            out.field("limits.register_rate", tenant.limits.registerRate)
            for type in tenant.tableTypes { write(type, to: &out) }
            for table in tenant.tables {
                out.field("table", table.id)
                out.field("name", table.name)
                out.field("type", table.type.id)
            }
        }
        return sha256Hex(out.bytes)
    }

    static func write(_ type: TableTypeConfig, to out: inout Writer) {
        out.field("table_type", type.id)
        out.field("name", type.name)
        out.field("variant", type.variant.rawValue)
        out.field("blinds.small", type.blinds.small)
        out.field("blinds.big", type.blinds.big)
        switch type.ante {
        case .none: out.field("ante", "none")
        case .perPlayer: out.field("ante", "per_player")
        case .bigBlind: out.field("ante", "big_blind")
        }
        out.field("ante.amount", type.ante.amount)
        out.field("buy_in.min", type.buyIn.min)
        out.field("buy_in.max", type.buyIn.max)
        out.field("seats", type.seats)
        out.field("action_timeout", type.actionTimeout)
        out.field("time_bank", type.timeBank)
        out.field("time_bank_refill", type.timeBankRefill)
        out.field("rake.basis_points", type.rake.basisPoints)
        out.field("rake.cap", type.rake.cap)
        out.field("rake.no_flop_no_drop", type.rake.noFlopNoDrop)
        out.field("passphrase", type.passphrase)
    }

    /// Lower-case hex SHA-256 (OpenSSL EVP).
    static func sha256Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let ok = bytes.withUnsafeBytes { input in
            digest.withUnsafeMutableBufferPointer { output in
                EVP_Digest(input.baseAddress, input.count, output.baseAddress, &length, felt_EVP_sha256(), nil)
            }
        }
        precondition(ok == 1 && length == 32, "EVP_Digest(SHA-256) failed")
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(64)
        for byte in digest {
            text.append(hex[Int(byte >> 4)])
            text.append(hex[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
