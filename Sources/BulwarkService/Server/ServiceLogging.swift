import Logging
import Synchronization

/// The process's logging, set up once: lines on stderr at the configured level, every value escaped
/// (``EscapingLogHandler``).
enum ServiceLogging {
    private static let bootstrapped = Atomic<Bool>(false)

    /// Installs the log handler on the first call; later calls (tests that start several services in one
    /// process) keep the first.
    static func bootstrap(level: Logger.Level) {
        guard !bootstrapped.exchange(true, ordering: .acquiringAndReleasing) else { return }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return EscapingLogHandler(handler)
        }
    }
}
