/// How long sessions live and how often a ``SessionStore`` looks for expired ones.
public struct SessionConfiguration: Sendable {
    /// A session that is not touched for this long ends. Every ``SessionStore/touch(_:)`` starts it again.
    public var idleTimeout: Duration
    /// A session ends this long after it was created, however often it is touched.
    public var absoluteLifetime: Duration
    /// The pause between two sweeps of ``SessionStore/run()``.
    public var sweepInterval: Duration
    /// The most expired sessions one sweep script claims; a sweep runs scripts until none are left.
    public var sweepBatchSize: Int
    /// The most events ``SessionStore/events`` holds for a consumer that lags; older ones are dropped.
    public var eventBufferSize: Int

    /// Creates a configuration. Every parameter has a default.
    /// - Parameters:
    ///   - idleTimeout: 30 minutes by default.
    ///   - absoluteLifetime: 12 hours by default.
    ///   - sweepInterval: 10 seconds by default.
    ///   - sweepBatchSize: 256 by default.
    ///   - eventBufferSize: 1,024 by default.
    public init(
        idleTimeout: Duration = .seconds(30 * 60),
        absoluteLifetime: Duration = .seconds(12 * 60 * 60),
        sweepInterval: Duration = .seconds(10),
        sweepBatchSize: Int = 256,
        eventBufferSize: Int = 1_024
    ) {
        self.idleTimeout = idleTimeout
        self.absoluteLifetime = absoluteLifetime
        self.sweepInterval = sweepInterval
        self.sweepBatchSize = sweepBatchSize
        self.eventBufferSize = eventBufferSize
    }

    /// Checks every field, naming the first one that is out of range.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration``.
    public func validate() throws(SharedStateError) {
        guard Self.milliseconds(idleTimeout) >= 1 else {
            throw SharedStateError(.invalidConfiguration, "idleTimeout must be at least 1 ms, got \(idleTimeout)")
        }
        guard Self.milliseconds(absoluteLifetime) >= 1 else {
            throw SharedStateError(.invalidConfiguration, "absoluteLifetime must be at least 1 ms, got \(absoluteLifetime)")
        }
        guard sweepInterval > .zero else {
            throw SharedStateError(.invalidConfiguration, "sweepInterval must be positive, got \(sweepInterval)")
        }
        guard (1...10_000).contains(sweepBatchSize) else {
            throw SharedStateError(.invalidConfiguration, "sweepBatchSize must be 1 to 10000, got \(sweepBatchSize)")
        }
        guard eventBufferSize >= 1 else {
            throw SharedStateError(.invalidConfiguration, "eventBufferSize must be at least 1, got \(eventBufferSize)")
        }
    }

    /// The idle timeout in whole milliseconds, as the scripts take it.
    var idleMilliseconds: Int64 { Self.milliseconds(idleTimeout) }

    /// The absolute lifetime in whole milliseconds, as the scripts take it.
    var absoluteMilliseconds: Int64 { Self.milliseconds(absoluteLifetime) }

    private static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
