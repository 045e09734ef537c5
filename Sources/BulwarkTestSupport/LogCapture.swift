import Logging
import Synchronization

/// Keeps every event logged through its loggers (level, message and metadata), so that a test can read and count
/// what was logged.
///
/// ```swift
/// let capture = LogCapture()
/// let bulwark = try Bulwark(configuration: configuration, logger: capture.logger())
/// #expect(capture.count(containing: "is not running", at: .warning) == 1)
/// ```
///
/// It keeps at most ``limit`` lines; later ones are dropped, so a chatty test cannot exhaust memory.
public final class LogCapture: Sendable {
    /// The most lines kept.
    public static let limit = 100_000

    private let lines = Mutex<[(level: Logger.Level, text: String)]>([])

    /// Creates an empty capture.
    public init() {}

    /// A logger whose events land in this capture.
    /// - Parameters:
    ///   - label: The logger's label.
    ///   - level: The lowest level kept; every level by default.
    /// - Returns: The logger.
    public func logger(_ label: String = "test", level: Logger.Level = .trace) -> Logger {
        var logger = Logger(label: label) { _ in Handler(capture: self) }
        logger.logLevel = level
        return logger
    }

    /// Every line so far, in order: `<level> <message> <key>=<value> …` with the metadata sorted by key.
    public var all: [String] { lines.withLock { $0.map { "\($0.level) \($0.text)" } } }

    /// Every line so far, one per line.
    public var text: String { all.joined(separator: "\n") }

    /// How many lines contain `fragment` in their message or metadata.
    /// - Parameters:
    ///   - fragment: The text looked for.
    ///   - level: Only lines of this level count; any level when `nil`.
    /// - Returns: The number of lines.
    public func count(containing fragment: String, at level: Logger.Level? = nil) -> Int {
        lines.withLock { $0.filter { (level == nil || $0.level == level) && $0.text.contains(fragment) }.count }
    }

    fileprivate func append(_ level: Logger.Level, _ text: String) {
        lines.withLock { if $0.count < Self.limit { $0.append((level, text)) } }
    }

    private struct Handler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            let rendered = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            capture.append(event.level, rendered.isEmpty ? "\(event.message)" : "\(event.message) \(rendered)")
        }
    }
}
