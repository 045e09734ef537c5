import Dispatch
import Foundation
import RedisTestSupport

/// Stops the bench's own redis-server when the bench is interrupted: by Ctrl-C, by `kill`, or by a reader
/// that closed its output pipe (`bulwark-bench W3 | head -1`). Without it the server would outlive the bench
/// with no parent.
///
/// `SIGPIPE` is ignored while it watches, so that writing to a closed pipe fails instead of killing the
/// bench; ``BenchContext/emit(_:)`` then ends the bench with `SIGTERM`, which comes here.
final class InterruptCleanup {
    private static let signals = [SIGINT, SIGTERM]
    private let sources: [any DispatchSourceSignal]

    /// Watches the signals until ``cancel()``. The server's pid is read when a signal comes, because a
    /// workload may restart the server (W7).
    init(stopping server: RedisServerProcess) {
        signal(SIGPIPE, SIG_IGN)
        sources = Self.signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                kill(server.pid, SIGKILL)
                try? FileManager.default.removeItem(atPath: server.directory)
                FileHandle.standardError.write(Data("bulwark-bench: interrupted, its redis-server stopped\n".utf8))
                exit(128 + number)
            }
            source.resume()
            return source
        }
    }

    /// Stops watching and restores the default actions; call it before the server is shut down, so that a
    /// late signal never targets a pid that has been reused.
    func cancel() {
        for source in sources { source.cancel() }
        for number in Self.signals + [SIGPIPE] { signal(number, SIG_DFL) }
    }
}
