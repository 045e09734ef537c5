import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A child process started with `posix_spawn`, signalled and reaped by its pid only.
///
/// Signals and `waitpid` run under one lock, and no signal is sent once the child was reaped, so a pid that
/// the kernel has handed to another process is never signalled.
final class ChildProcess: Sendable {
    /// The child's pid.
    let pid: pid_t
    /// The wait status once the child was reaped.
    private let reapedStatus = Mutex<Int32?>(nil)

    private init(pid: pid_t) {
        self.pid = pid
    }

    /// Starts `executable` with `arguments`, stdin from `/dev/null`, stdout and stderr appended to `outputPath`.
    ///
    /// The child gets an empty signal mask and default dispositions (the spawning thread may block signals),
    /// and no descriptor above stderr, even one another thread opened without `O_CLOEXEC`.
    static func spawn(executable: String, arguments: [String], outputPath: String) throws -> ChildProcess {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        _ = closeDescriptorsFromThree?(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGPIPE, SIGTERM, SIGINT, SIGHUP, SIGCHLD, SIGUSR1, SIGUSR2] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard result == 0 else {
            throw RedisTestSupportError(
                .spawnFailed,
                message: "posix_spawn \(executable) failed: \(String(cString: strerror(result)))"
            )
        }
        return ChildProcess(pid: pid)
    }

    /// Whether the child was reaped.
    var hasExited: Bool { pollExit() != nil }

    /// Sends `signal` unless the child was already reaped.
    func send(_ signal: Int32) {
        reapedStatus.withLock { status in
            if status == nil { _ = kill(pid, signal) }
        }
    }

    /// Reaps the child if it has exited, without blocking; returns its wait status once reaped.
    @discardableResult
    func pollExit() -> Int32? {
        reapedStatus.withLock { status in
            if let status { return status }
            var raw: Int32 = 0
            let result = waitpid(pid, &raw, WNOHANG)
            if result == pid {
                status = raw
            } else if result == -1 && errno == ECHILD {
                status = -1  // reaped elsewhere; never signal this pid again
            }
            return status
        }
    }

    /// Waits up to `timeout` for the child to exit, polling without holding a thread.
    ///
    /// - Returns: Whether the child exited (and was reaped) in time.
    func waitForExit(timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        var pause = Duration.milliseconds(1)
        while pollExit() == nil {
            if ContinuousClock.now >= deadline { return false }
            try? await Task.sleep(for: pause)
            pause = min(pause * 2, .milliseconds(20))
        }
        return true
    }

    /// The process state letter from `/proc/PID/stat` (`T` when stopped), or `nil` when unknown.
    var procState: Character? {
        #if os(Linux)
            guard pollExit() == nil, let line = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return nil }
            // "PID (comm) S ..." — comm may hold spaces and parentheses, so search from the last ')'.
            guard let close = line.lastIndex(of: ")") else { return nil }
            return line[line.index(after: close)...].first { $0 != " " }
        #else
            return nil
        #endif
    }

    /// Kills the child with `SIGKILL` and reaps it, blocking the caller; for `deinit` and failure paths.
    func terminateSynchronously() {
        reapedStatus.withLock { status in
            guard status == nil else { return }
            _ = kill(pid, SIGKILL)
            var raw: Int32 = 0
            while true {
                let result = waitpid(pid, &raw, 0)
                if result == pid {
                    status = raw
                    return
                }
                if result == -1 && errno == EINTR { continue }
                status = -1
                return
            }
        }
    }
}

/// `posix_spawn_file_actions_addclosefrom_np` (glibc 2.34 and later), looked up at run time because the Swift
/// `Glibc` module does not export it; `nil` where the C library lacks it.
private let closeDescriptorsFromThree: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32)? = {
    #if os(Linux)
        guard let handle = dlopen(nil, RTLD_NOW), let symbol = dlsym(handle, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>?, Int32) -> Int32).self)
    #else
        return nil
    #endif
}()
