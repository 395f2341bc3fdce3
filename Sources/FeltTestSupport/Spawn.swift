import Foundation

/// Starts `executable` (a path, or a name looked up through `/usr/bin/env`) with `arguments`
/// through `posix_spawn`, in its own process group with default signal handling, its
/// standard streams on the given descriptors. `environment` is added to this process's own.
///
/// The one place the test support spawns children: `runProcess` and `SpawnedProcess` both
/// call it.
func spawnChild(_ executable: String, _ arguments: [String], environment: [String: String],
                currentDirectory: URL?, stdin: Int32?, stdout: Int32, stderr: Int32) throws -> pid_t {
    var argv = executable.contains("/") ? [executable] : ["/usr/bin/env", executable]
    argv += arguments
    if let currentDirectory {
        // posix_spawn has no portable chdir action; a shell changes directory and execs.
        argv = ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", currentDirectory.path] + argv
    }
    let env = ProcessInfo.processInfo.environment.merging(environment) { $1 }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    if let stdin {
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    } else {
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    }
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    posix_spawnattr_setpgroup(&attributes, 0)
    var noSignals = sigset_t()
    sigemptyset(&noSignals)
    posix_spawnattr_setsigmask(&attributes, &noSignals)
    var defaultSignals = sigset_t()
    sigemptyset(&defaultSignals)
    for signal in [SIGPIPE, SIGTERM, SIGINT, SIGCHLD] { sigaddset(&defaultSignals, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaultSignals)

    let cArguments = argv.map { strdup($0) } + [nil]
    let cEnvironment = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
        cArguments.forEach { free($0) }
        cEnvironment.forEach { free($0) }
    }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, cEnvironment)
    guard spawned == 0 else {
        throw ProcessLaunchError(message: "cannot run \(argv[0]): \(String(cString: strerror(spawned)))")
    }
    return pid
}

/// A raw `waitpid` status split into exit code or signal (WIFEXITED and friends are macros).
struct WaitStatus {
    let raw: Int32
    /// The terminating signal, or nil when the child exited.
    var signal: Int32? { raw & 0x7f == 0 ? nil : raw & 0x7f }
    /// The exit code (meaningful when `signal` is nil).
    var exitCode: Int32 { (raw >> 8) & 0xff }
}
