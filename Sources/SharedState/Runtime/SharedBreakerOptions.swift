/// How a ``SharedBreakerRegistry`` talks to Redis and how often.
public struct SharedBreakerOptions: Sendable {
    /// This instance's id, unique in the fleet; a random one by default.
    public var instanceID: String
    /// How often outcome counts are flushed to Redis while nothing urgent happens. Failures flush at once.
    public var flushInterval: Duration
    /// While on the fallback, how often Redis is probed to come back.
    public var recoveryProbeInterval: Duration
    /// How often the instance renews its heartbeat.
    public var heartbeatInterval: Duration
    /// How long a heartbeat keeps an instance listed as alive.
    public var instanceTimeToLive: Duration
    /// The key prefix, `bulwark` by default; every key and channel of the registry lives under it.
    public var keyPrefix: String
    /// How long a call through a new breaker waits for the fleet's state of it before its first decision.
    public var firstStateWait: Duration
    /// How long a failing call waits for its failure to be reported (so that the next call sees a trip).
    public var failureReportWait: Duration
    /// How long an instance's last report of a breaker stays in the breaker's instances hash.
    public var instanceReportRetention: Duration
    /// How long a breaker nobody uses (no report, no heartbeat naming it) stays in Redis and its index.
    public var breakerRetention: Duration
    /// The most breakers the registry holds; asking for one more throws. The registry's work queue holds at most
    /// four jobs per breaker (one of each kind), so it is bounded by this number and never drops a job.
    public var maxBreakers: Int
    /// Whether outcomes are flushed lazily (`true` by default): a closed breaker's successes alone wait up to
    /// ``lazyFlushInterval``, and its failures wait while Redis's last answer showed they cannot change the
    /// fleet's decision; anything that may change it is flushed at once. `false` flushes every
    /// ``flushInterval`` and each failure at once. See `docs/convergence.md`, "How far the shared counts lag".
    public var lazyFlushing: Bool
    /// How long a closed breaker's outcomes may wait before they are flushed when nothing urgent happens, at
    /// most half the breaker's window; used when ``lazyFlushing`` is on.
    public var lazyFlushInterval: Duration

    /// Creates options; every parameter has a default.
    public init(
        instanceID: String = SharedBreakerOptions.randomInstanceID(),
        flushInterval: Duration = .milliseconds(250),
        recoveryProbeInterval: Duration = .milliseconds(100),
        heartbeatInterval: Duration = .seconds(2),
        instanceTimeToLive: Duration = .seconds(10),
        keyPrefix: String = "bulwark",
        firstStateWait: Duration = .seconds(1),
        failureReportWait: Duration = .milliseconds(250),
        instanceReportRetention: Duration = .seconds(3_600),
        breakerRetention: Duration = .seconds(7 * 86_400),
        maxBreakers: Int = 10_000,
        lazyFlushing: Bool = true,
        lazyFlushInterval: Duration = .seconds(6)
    ) {
        self.instanceID = instanceID
        self.flushInterval = flushInterval
        self.recoveryProbeInterval = recoveryProbeInterval
        self.heartbeatInterval = heartbeatInterval
        self.instanceTimeToLive = instanceTimeToLive
        self.keyPrefix = keyPrefix
        self.firstStateWait = firstStateWait
        self.failureReportWait = failureReportWait
        self.instanceReportRetention = instanceReportRetention
        self.breakerRetention = breakerRetention
        self.maxBreakers = maxBreakers
        self.lazyFlushing = lazyFlushing
        self.lazyFlushInterval = lazyFlushInterval
    }

    /// A random id of 12 hex digits.
    public static func randomInstanceID() -> String {
        var generator = SystemRandomNumberGenerator()
        let value = generator.next() & 0xFFFF_FFFF_FFFF
        let hex = String(value, radix: 16)
        return String(repeating: "0", count: 12 - hex.count) + hex
    }

    /// Checks every field, naming the first one out of range.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration``.
    public func validate() throws(SharedStateError) {
        func fail(_ message: String) -> SharedStateError { SharedStateError(.invalidConfiguration, message) }
        guard !instanceID.isEmpty, instanceID.utf8.count <= 64, !instanceID.contains(" ") else {
            throw fail("instanceID must be 1 to 64 characters without spaces")
        }
        guard flushInterval > .zero else { throw fail("flushInterval must be positive") }
        guard recoveryProbeInterval > .zero else { throw fail("recoveryProbeInterval must be positive") }
        guard heartbeatInterval > .zero, instanceTimeToLive > heartbeatInterval else {
            throw fail("instanceTimeToLive must be longer than heartbeatInterval")
        }
        guard !keyPrefix.isEmpty, keyPrefix.utf8.count <= 64, !keyPrefix.contains(" ") else {
            throw fail("keyPrefix must be 1 to 64 characters without spaces")
        }
        guard firstStateWait >= .zero, failureReportWait >= .zero else { throw fail("waits must not be negative") }
        guard instanceReportRetention > instanceTimeToLive else {
            throw fail("instanceReportRetention must be longer than instanceTimeToLive")
        }
        guard breakerRetention > heartbeatInterval * 2 else { throw fail("breakerRetention must be longer than two heartbeats") }
        guard lazyFlushInterval >= flushInterval else { throw fail("lazyFlushInterval must not be shorter than flushInterval") }
        guard (1...1_000_000).contains(maxBreakers) else { throw fail("maxBreakers must be 1 to 1,000,000") }
    }
}
