import CLibPQ
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Directory layout, `initdb`, settings and stale-pid handling of the embedded cluster.
extension EmbeddedPostgres {
    /// The `bin` folder of the highest PostgreSQL version under `/usr/lib/postgresql`.
    public static func findBinDirectory(root: String = "/usr/lib/postgresql") throws(EmbeddedPostgresError) -> String {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let versions = entries.compactMap { name -> (version: [Int], name: String)? in
            let parts = name.split(separator: ".").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { return nil }
            return (parts.compactMap { $0 }, name)
        }.sorted { $0.version.lexicographicallyPrecedes($1.version) }
        for candidate in versions.reversed() {
            let bin = "\(root)/\(candidate.name)/bin"
            if ["initdb", "pg_ctl", "postgres"].allSatisfy({ FileManager.default.isExecutableFile(atPath: "\(bin)/\($0)") }) {
                return bin
            }
        }
        throw EmbeddedPostgresError(.binariesNotFound,
                                    "no PostgreSQL server binaries (initdb, pg_ctl, postgres) under \(root)/<version>/bin; install the postgresql package")
    }

    /// Creates Felt's folder, the data and socket directories; as root, hands them to the system user.
    func prepareDirectories() throws(EmbeddedPostgresError) {
        let owner = try ownerIDs()
        for path in [configuration.directory, configuration.dataDirectory, configuration.resolvedSocketDirectory] {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
                if !isDirectory.boolValue {
                    throw EmbeddedPostgresError(.filesystem, "\(path) exists and is not a directory")
                }
            } else {
                do {
                    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                            attributes: [.posixPermissions: 0o700])
                } catch {
                    throw EmbeddedPostgresError(.filesystem, "cannot create \(path): \(error)")
                }
            }
            if let owner {
                if chown(path, owner.uid, owner.gid) != 0 {
                    throw EmbeddedPostgresError(.filesystem, "cannot give \(path) to \(configuration.systemUser): errno \(errno)")
                }
                try makeAncestorsTraversable(of: path)
            }
            // The data directory must be 0700 (or 0750) or the server refuses it.
            if path == configuration.dataDirectory { chmod(path, 0o700) }
        }
    }

    /// uid/gid of the system user when running as root (creating the user if missing), else nil.
    func ownerIDs() throws(EmbeddedPostgresError) -> (uid: uid_t, gid: gid_t)? {
        guard getuid() == 0 else { return nil }
        if let ids = Self.lookupUser(configuration.systemUser) { return ids }
        let created = try ChildProcess.run("/usr/sbin/useradd",
                                           ["--system", "--user-group", "--no-create-home",
                                            "--shell", "/usr/sbin/nologin", configuration.systemUser])
        guard created.status == 0, let ids = Self.lookupUser(configuration.systemUser) else {
            throw EmbeddedPostgresError(.systemUser, "cannot create system user \(configuration.systemUser): \(created.output)")
        }
        log("embedded postgres: created system user \(configuration.systemUser)")
        return ids
    }

    static func lookupUser(_ name: String) -> (uid: uid_t, gid: gid_t)? {
        guard let entry = getpwnam(name) else { return nil }
        return (entry.pointee.pw_uid, entry.pointee.pw_gid)
    }

    /// Adds search permission for others on ancestors that lack it, so the system user can reach `path`.
    private func makeAncestorsTraversable(of path: String) throws(EmbeddedPostgresError) {
        var url = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while url.path != "/" && !url.path.isEmpty {
            var info = stat()
            if stat(url.path, &info) == 0 && info.st_mode & S_IXOTH == 0 {
                if chmod(url.path, (info.st_mode & 0o7777) | S_IXOTH) != 0 {
                    throw EmbeddedPostgresError(.filesystem, "cannot make \(url.path) traversable for \(configuration.systemUser)")
                }
                log("embedded postgres: added o+x to \(url.path) so \(configuration.systemUser) can reach the cluster")
            }
            url.deleteLastPathComponent()
        }
    }

    /// Runs `initdb` when the data directory holds no cluster yet.
    func initializeIfNeeded(bin: String) throws(EmbeddedPostgresError) {
        let data = configuration.dataDirectory
        let versionFile = data + "/PG_VERSION"
        if let version = try? String(contentsOfFile: versionFile, encoding: .utf8) {
            let major = version.trimmingCharacters(in: .whitespacesAndNewlines)
            let binMajor = URL(fileURLWithPath: bin).deletingLastPathComponent().lastPathComponent
            if let binMajor = Int(binMajor.split(separator: ".").first ?? ""), Int(major) != binMajor {
                throw EmbeddedPostgresError(.incompatibleDataDirectory,
                                            "\(data) holds a PostgreSQL \(major) cluster but the binaries are version \(binMajor)")
            }
            return
        }
        let contents = (try? FileManager.default.contentsOfDirectory(atPath: data)) ?? []
        if !contents.isEmpty {
            throw EmbeddedPostgresError(.incompatibleDataDirectory, "\(data) is not empty and holds no PostgreSQL cluster")
        }
        var arguments = ["-D", data, "-U", configuration.superuser, "--auth-local=trust", "--auth-host=reject",
                         "--encoding=UTF8", "--locale=C"]
        if !configuration.durable { arguments.append("--no-sync") }
        let result = try ChildProcess.run(bin + "/initdb", arguments, asUser: runAsUserForSetup,
                                          currentDirectory: configuration.directory)
        guard result.status == 0 else {
            throw EmbeddedPostgresError(.initdbFailed, "initdb failed (\(result.status)): \(result.output)")
        }
        do {
            let conf = data + "/postgresql.conf"
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: conf))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("\n# Felt: settings rewritten on every start\ninclude_if_exists = 'felt.conf'\n".utf8))
            try handle.close()
        } catch {
            throw EmbeddedPostgresError(.filesystem, "cannot extend postgresql.conf: \(error)")
        }
        log("embedded postgres: created cluster in \(data)")
    }

    var runAsUserForSetup: String? { getuid() == 0 ? configuration.systemUser : nil }

    /// Writes `felt.conf`: private socket only, plus the configured settings.
    func writeSettings() throws(EmbeddedPostgresError) {
        var settings: [(String, String)] = [
            ("listen_addresses", ""),
            ("unix_socket_directories", configuration.resolvedSocketDirectory),
            ("unix_socket_permissions", "0700"),
            ("port", String(configuration.port)),
            ("timezone", "UTC"),
        ]
        if !configuration.durable {
            settings += [("fsync", "off"), ("synchronous_commit", "off"), ("full_page_writes", "off")]
        }
        settings += configuration.settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let text = settings.map { "\($0.0) = '\($0.1.replacingOccurrences(of: "'", with: "''"))'" }.joined(separator: "\n") + "\n"
        let path = configuration.dataDirectory + "/felt.conf"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw EmbeddedPostgresError(.filesystem, "cannot write \(path)")
        }
        if let owner = try ownerIDs() { _ = chown(path, owner.uid, owner.gid) }
    }

    /// Deals with a `postmaster.pid` found before starting. Returns true when a healthy server
    /// of this cluster is already running on the expected socket and was adopted.
    func handleExistingPidFile(bin: String) throws(EmbeddedPostgresError) -> Bool {
        let pidFile = configuration.dataDirectory + "/postmaster.pid"
        guard FileManager.default.fileExists(atPath: pidFile) else { return false }
        let info = Self.readPidFile(pidFile)
        if let info, info.pid > 0, Self.processExists(info.pid), Self.isPostgresProcess(info.pid),
           info.dataDirectory == nil || info.dataDirectory == configuration.dataDirectory {
            if info.socketDirectory == configuration.resolvedSocketDirectory && info.port == configuration.port
                && ping(timeoutSeconds: 2) == PQPING_OK {
                log("embedded postgres: adopted running server (pid \(info.pid))")
                return true
            }
            log("embedded postgres: server (pid \(info.pid)) runs with other settings; restarting it")
            try stopBlockingForRestart(bin: bin)
            return false
        }
        // Stale: the process is gone, or the pid now belongs to something else.
        log("embedded postgres: removing stale postmaster.pid (pid \(info?.pid ?? 0))")
        try? FileManager.default.removeItem(atPath: pidFile)
        let lock = configuration.resolvedSocketDirectory + "/.s.PGSQL.\(configuration.port).lock"
        try? FileManager.default.removeItem(atPath: lock)
        return false
    }

    private func stopBlockingForRestart(bin: String) throws(EmbeddedPostgresError) {
        let result = try ChildProcess.run(bin + "/pg_ctl", ["stop", "-w", "-s", "-m", "fast", "-D", configuration.dataDirectory],
                                          asUser: runAsUserForSetup, currentDirectory: configuration.directory)
        if result.status != 0 {
            throw EmbeddedPostgresError(.stopFailed, "cannot stop the running server: \(result.output)")
        }
    }

    /// The fields of `postmaster.pid` Felt uses.
    struct PidFileInfo: Sendable, Equatable {
        var pid: pid_t
        var dataDirectory: String?
        var port: Int?
        var socketDirectory: String?
    }

    static func readPidFile(_ path: String) -> PidFileInfo? {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, let pid = pid_t(first.trimmingCharacters(in: .whitespaces)) else { return nil }
        func line(_ index: Int) -> String? { lines.count > index && !lines[index].isEmpty ? lines[index] : nil }
        return PidFileInfo(pid: pid, dataDirectory: line(1), port: line(3).flatMap { Int($0) },
                           socketDirectory: line(4))
    }

    /// Whether `pid` names a live process (a zombie awaiting its reaper counts as gone).
    static func processExists(_ pid: pid_t) -> Bool {
        guard pid > 0 else { return false }
        guard kill(pid, 0) == 0 || errno == EPERM else { return false }
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
           let close = stat.lastIndex(of: ")") {
            let state = stat[close...].dropFirst().drop { $0 == " " }.first
            if state == "Z" || state == "X" { return false }
        }
        return true
    }

    static func isPostgresProcess(_ pid: pid_t) -> Bool {
        guard let comm = try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8) else { return false }
        let name = comm.trimmingCharacters(in: .whitespacesAndNewlines)
        return name == "postgres" || name == "postmaster"
    }

    static func tail(of path: String, bytes: Int = 2000) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "" }
        return String(decoding: data.suffix(bytes), as: UTF8.self)
    }
}
