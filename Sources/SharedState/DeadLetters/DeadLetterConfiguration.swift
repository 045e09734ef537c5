/// How a ``DeadLetterStore`` bounds its queues and its local buffer.
///
/// ```swift
/// var configuration = DeadLetterConfiguration()
/// configuration.maximumLength = 50_000
/// let store = try DeadLetterStore(client: client, configuration: configuration)
/// ```
public struct DeadLetterConfiguration: Sendable, Hashable {
    /// The most entries a queue keeps; adding beyond it drops the oldest. 10,000 by default.
    public var maximumLength: Int
    /// Whether trimming to ``maximumLength`` is exact (`MAXLEN =`) rather than approximate (`MAXLEN ~`).
    ///
    /// Approximate trimming, the default, is much cheaper: Redis removes whole internal nodes only, so a queue
    /// may hold somewhat more than ``maximumLength`` entries (up to about a hundred more), never fewer.
    public var exactTrimming: Bool
    /// The most dead letters held in local memory while Redis is unreachable, across all queues; beyond it the
    /// oldest are dropped and counted. 1,000 by default.
    public var pendingLimit: Int
    /// How often ``DeadLetterStore/run()`` tries to replay the local buffer into Redis. 1 second by default.
    public var flushInterval: Duration
    /// How long a letter taken for a retry stays out of its queue without news from the instance retrying it.
    /// 30 seconds by default.
    ///
    /// While its handler runs, the retrying instance renews the lease every third of it; if the instance dies,
    /// the lease runs out and any store's ``DeadLetterStore/run()`` puts the letter back in its queue, so that a
    /// crash mid-retry never loses a letter.
    public var retryLease: Duration
    /// The key prefix, `bulwark` by default: queues live at `<prefix>:dlq:{<queue>}`.
    public var keyPrefix: String

    /// Creates a configuration; every value has a default.
    public init(
        maximumLength: Int = 10_000,
        exactTrimming: Bool = false,
        pendingLimit: Int = 1_000,
        flushInterval: Duration = .seconds(1),
        retryLease: Duration = .seconds(30),
        keyPrefix: String = "bulwark"
    ) {
        self.maximumLength = maximumLength
        self.exactTrimming = exactTrimming
        self.pendingLimit = pendingLimit
        self.flushInterval = flushInterval
        self.retryLease = retryLease
        self.keyPrefix = keyPrefix
    }

    /// Checks every field.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration`` naming the field.
    func validate() throws(SharedStateError) {
        guard maximumLength >= 1 else {
            throw SharedStateError(.invalidConfiguration, "maximumLength must be at least 1, got \(maximumLength)")
        }
        guard pendingLimit >= 0 else {
            throw SharedStateError(.invalidConfiguration, "pendingLimit must not be negative, got \(pendingLimit)")
        }
        guard flushInterval >= .milliseconds(1) else {
            throw SharedStateError(.invalidConfiguration, "flushInterval must be at least 1 ms")
        }
        guard retryLease >= .milliseconds(100) else {
            throw SharedStateError(.invalidConfiguration, "retryLease must be at least 100 ms")
        }
        guard !keyPrefix.isEmpty, !keyPrefix.contains(where: { $0 == "{" || $0 == "}" || $0 == " " }) else {
            throw SharedStateError(.invalidConfiguration, "keyPrefix must be non-empty, without braces or spaces")
        }
    }
}
