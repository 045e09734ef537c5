import Logging
import Synchronization

/// Keeps every message logged through it, so that a test can count them.
final class LogCapture: Sendable {
    private let messages = Mutex<[String]>([])

    /// A logger whose messages this capture keeps.
    func logger(label: String = "bulwark-test") -> Logger {
        Logger(label: label) { _ in Handler(capture: self) }
    }

    /// How many messages contained `text`.
    func count(containing text: String) -> Int {
        messages.withLock { $0.filter { $0.contains(text) }.count }
    }

    fileprivate func append(_ message: String) {
        messages.withLock { $0.append(message) }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            capture.append("\(event.message)")
        }
    }
}
