import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A finished helper program (`initdb`, `pg_ctl`, `runuser`, `useradd`).
struct ChildProcessResult: Sendable {
    /// Exit status (128 + signal number when killed by a signal).
    var status: Int32
    /// Standard output and standard error, interleaved.
    var output: String
}

/// Runs helper programs synchronously with `posix_spawn` + `waitpid`; callers keep this off
/// event loops and the cooperative pool.
enum ChildProcess {
    /// Runs `executable` with `arguments`, as `user` through `runuser` when one is given.
    ///
    /// Output goes to an unlinked temporary file rather than a pipe, so a daemon started by the
    /// program (the postmaster started by `pg_ctl`) can never keep the call waiting.
    static func run(_ executable: String, _ arguments: [String], asUser user: String? = nil,
                    currentDirectory: String? = nil) throws(EmbeddedPostgresError) -> ChildProcessResult {
        var argv: [String] = user.map { ["/usr/sbin/runuser", "-u", $0, "--"] } ?? []
        if let currentDirectory {
            // posix_spawn has no portable chdir action; a shell changes directory and execs.
            argv += ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory]
        }
        argv.append(executable)
        let fullArguments = argv + arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["PGDATA", "PGHOST", "PGPORT", "PGUSER", "PGDATABASE", "PGOPTIONS", "PGSERVICE"] {
            environment[key] = nil
        }
        environment["LC_ALL"] = "C"

        var template = Array("/tmp/felt-child-XXXXXX".utf8CString)
        let outputFD = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard outputFD >= 0 else { throw EmbeddedPostgresError(.filesystem, "cannot create a temporary file: errno \(errno)") }
        template.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { unlink(base) }
        }
        defer { close(outputFD) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 1)
        posix_spawn_file_actions_adddup2(&actions, outputFD, 2)

        let cArguments = fullArguments.map { strdup($0) } + [nil]
        let cEnvironment = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            cArguments.forEach { free($0) }
            cEnvironment.forEach { free($0) }
        }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, argv[0], &actions, nil, cArguments, cEnvironment)
        guard spawned == 0 else {
            throw EmbeddedPostgresError(.startFailed, "cannot run \(argv[0]): errno \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            if errno != EINTR { break }
        }
        // WIFEXITED / WEXITSTATUS / WTERMSIG are macros; decode the wait status by hand.
        let exitStatus: Int32 = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)

        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 4096)
        lseek(outputFD, 0, SEEK_SET)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(outputFD, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            data += buffer[0..<count]
        }
        return ChildProcessResult(status: exitStatus, output: String(decoding: data, as: UTF8.self))
    }
}
