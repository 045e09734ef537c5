#if canImport(Glibc)
    import Glibc
#endif

/// Keeps `SIGPIPE` from killing the process when hiredis writes to a connection Redis has closed.
///
/// hiredis 0.14 writes with plain `write`, which raises `SIGPIPE` on a reset connection; the default action
/// ends the process. Each connection thread blocks the signal for itself, so the write fails with `EPIPE`
/// instead and the client reports a lost connection. A thread-directed signal stays pending on the thread
/// that blocks it and is never delivered.
enum BrokenPipeGuard {
    /// Blocks `SIGPIPE` on the calling thread; call it first thing on every thread that writes to Redis.
    static func blockOnCurrentThread() {
        var signals = sigset_t()
        sigemptyset(&signals)
        sigaddset(&signals, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }
}
