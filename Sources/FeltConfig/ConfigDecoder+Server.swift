import Glibc

extension ConfigDecoder {
    static let serverKeys = ["listen", "event_loops", "base_domain", "admin_token_env", "admin_token_file",
                             "heartbeat_interval", "max_body", "reconnect_grace", "hand_pause", "sit_out_timeout",
                             "ws_message_rate"]

    /// The number of online processor cores (at least 1).
    static var coreCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

    /// `server:` (absent means all defaults).
    mutating func server(_ node: YAMLNode?) -> ServerConfig {
        var host = "0.0.0.0", port = 8080, loops = ConfigDecoder.coreCount, baseDomain = "felt.localhost"
        var adminToken: SecretValue?
        var heartbeat = ConfigDuration.seconds(1), maxBody = 1 << 20, grace = ConfigDuration.zero
        var handPause = ConfigDuration.seconds(2), sitOut = ConfigDuration.seconds(300)
        var wsRate = RateLimit(count: 10, period: .seconds(1))
        func config() -> ServerConfig {
            ServerConfig(listenHost: host, listenPort: port, eventLoops: loops, baseDomain: baseDomain,
                         adminToken: adminToken, heartbeatInterval: heartbeat, maxBodyBytes: maxBody,
                         reconnectGrace: grace, handPause: handPause, sitOutTimeout: sitOut, wsMessageRate: wsRate)
        }
        guard let node, let fields = fields(node, "server", allowed: ConfigDecoder.serverKeys) else { return config() }
        for entry in fields.entries {
            let path = fields.path(of: entry)
            let value = entry.value
            switch entry.key.value {
            case "listen":
                guard let listen = self.fields(value, path, allowed: ["host", "port"]) else { continue }
                if let entry = listen.entry("host"), let text = text(entry.value, listen.path(of: entry), maxLength: 253) {
                    host = text
                }
                if let entry = listen.entry("port"),
                   let number = integer(entry.value, listen.path(of: entry), in: 0...65535) {
                    port = Int(number)
                }
            case "event_loops":
                if let number = integer(value, path, in: 1...256) { loops = Int(number) }
            case "base_domain":
                if let text = string(value, path) {
                    let normalized = HostName.normalize(text)
                    if HostName.isValid(normalized) { baseDomain = normalized }
                    else { report(value.mark, path, .invalidHost, "'\(text)' is not a valid host name") }
                }
            case "heartbeat_interval":
                if let duration = positiveDuration(value, path) { heartbeat = duration }
            case "max_body":
                if let size = byteSize(value, path) {
                    if size < 1024 || size > 1 << 30 {
                        report(value.mark, path, .outOfRange, "must be between 1KiB and 1GiB")
                    } else {
                        maxBody = size
                    }
                }
            case "reconnect_grace":
                if let duration = duration(value, path) { grace = duration }
            case "hand_pause":
                if let duration = duration(value, path) { handPause = duration }
            case "sit_out_timeout":
                if let duration = positiveDuration(value, path) { sitOut = duration }
            case "ws_message_rate":
                if let rate = rate(value, path) { wsRate = rate }
            default:
                continue
            }
        }
        adminToken = secret(fields, env: "admin_token_env", file: "admin_token_file", required: nil).value
        return config()
    }

    /// A duration longer than zero.
    mutating func positiveDuration(_ node: YAMLNode, _ path: @autoclosure () -> String) -> ConfigDuration? {
        guard let value = duration(node, path()) else { return nil }
        if value.milliseconds == 0 {
            report(node.mark, path(), .outOfRange, "must be longer than 0s")
            return nil
        }
        return value
    }

    /// `database:` (absent means embedded in `.felt/pgdata`).
    mutating func database(_ node: YAMLNode?) -> DatabaseSettings {
        var kind = DatabaseConfig.embedded(dataDirectory: ".felt/pgdata")
        var maxConnections = 16
        guard let node, let fields = fields(node, "database", allowed: ["embedded", "url_env", "url_file", "max_connections"]) else {
            return DatabaseSettings(kind: kind, maxConnections: maxConnections)
        }
        let modes = fields.entries.filter { ["embedded", "url_env", "url_file"].contains($0.key.value) }
        if modes.count > 1 {
            report(modes[1].key.mark, fields.path(of: modes[1]), .conflictingKeys,
                   "give only one of embedded, url_env, url_file")
        } else if let embedded = fields.entry("embedded") {
            let path = fields.path(of: embedded)
            if case .scalar(let scalar) = embedded.value, scalar.isNull {
                // `embedded:` alone means the default folder.
            } else if let inner = self.fields(embedded.value, path, allowed: ["data_dir"]),
                      let entry = inner.entry("data_dir"),
                      let folder = text(entry.value, inner.path(of: entry), maxLength: 4096) {
                kind = .embedded(dataDirectory: folder)
            }
        } else if case .value(let url) = secret(fields, env: "url_env", file: "url_file", required: nil) {
            kind = .url(url)
        }
        if let entry = fields.entry("max_connections"),
           let number = integer(entry.value, fields.path(of: entry), in: 1...10_000) {
            maxConnections = Int(number)
        }
        return DatabaseSettings(kind: kind, maxConnections: maxConnections)
    }
}
