/// How a ``SharedCache`` keeps and refreshes values. Every field has a default.
public struct SharedCacheConfiguration: Sendable {
    /// Whether the in-process tier (L1) sits in front of Redis.
    public var localTierEnabled: Bool
    /// The most entries the in-process tier holds; the oldest go first.
    public var localTierCapacity: Int
    /// The longest an entry stays fresh in the in-process tier, whatever its TTL in Redis: bounds how stale
    /// an instance can be if an invalidation is lost in a way pub/sub cannot report.
    public var localTierMaximumAge: Duration
    /// How long a value stays fresh when the caller names no TTL.
    public var defaultTimeToLive: Duration
    /// How long past its freshness a value is kept to be served when the factory fails or Redis is down.
    public var failSafeMaximumAge: Duration
    /// After this long, a factory that has a stale value to fall back on answers with it and goes on in the
    /// background; `nil` waits for the factory.
    public var factorySoftTimeout: Duration?
    /// The longest the cache waits for a factory.
    public var factoryHardTimeout: Duration
    /// While another instance runs the factory for a key, how often a waiter re-reads Redis if no fill
    /// message came.
    public var fillPollInterval: Duration
    /// The largest value (bytes) that a fill message carries to the instances waiting for the key, so that they
    /// answer without reading Redis again; a larger value is announced without its bytes. Values are carried only
    /// when another instance waits for the key. 0 never carries them.
    public var fillMessageValueLimit: Int
    /// Probabilistic early refresh (XFetch, Vattani, Chierichetti and Lowenstein, "Optimal Probabilistic Cache
    /// Stampede Prevention", VLDB 2015): a read that finds a fresh value refreshes it in the background when
    /// `factoryTime × beta × −ln(random) ≥ freshness left`, so popular keys are remade shortly before they
    /// expire instead of all at once after. 1.0 is the paper's choice; `nil` (the default) turns it off.
    public var earlyRefreshBeta: Double?
    /// The key prefix.
    public var keyPrefix: String

    /// Creates a configuration.
    public init(
        localTierEnabled: Bool = true,
        localTierCapacity: Int = 10_000,
        localTierMaximumAge: Duration = .seconds(60),
        defaultTimeToLive: Duration = .seconds(300),
        failSafeMaximumAge: Duration = .seconds(3_600),
        factorySoftTimeout: Duration? = nil,
        factoryHardTimeout: Duration = .seconds(30),
        fillPollInterval: Duration = .milliseconds(50),
        fillMessageValueLimit: Int = 65_536,
        earlyRefreshBeta: Double? = nil,
        keyPrefix: String = "bulwark"
    ) {
        self.localTierEnabled = localTierEnabled
        self.localTierCapacity = localTierCapacity
        self.localTierMaximumAge = localTierMaximumAge
        self.defaultTimeToLive = defaultTimeToLive
        self.failSafeMaximumAge = failSafeMaximumAge
        self.factorySoftTimeout = factorySoftTimeout
        self.factoryHardTimeout = factoryHardTimeout
        self.fillPollInterval = fillPollInterval
        self.fillMessageValueLimit = fillMessageValueLimit
        self.earlyRefreshBeta = earlyRefreshBeta
        self.keyPrefix = keyPrefix
    }

    /// Checks every field, naming the first one out of range.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration``.
    public func validate() throws(SharedStateError) {
        func fail(_ message: String) -> SharedStateError { SharedStateError(.invalidConfiguration, message) }
        guard localTierCapacity >= 1 else { throw fail("localTierCapacity must be at least 1") }
        guard localTierMaximumAge > .zero, defaultTimeToLive >= .milliseconds(1) else {
            throw fail("localTierMaximumAge and defaultTimeToLive must be positive")
        }
        guard failSafeMaximumAge >= .zero else { throw fail("failSafeMaximumAge must not be negative") }
        guard factoryHardTimeout > .zero, fillPollInterval > .zero else { throw fail("factory timeouts must be positive") }
        // Redis's own limit on a bulk string is 512 MB; a pub/sub message should stay far below it.
        guard (0...(64 << 20)).contains(fillMessageValueLimit) else { throw fail("fillMessageValueLimit must be between 0 and 67108864") }
        if let beta = earlyRefreshBeta, !(beta > 0 && beta.isFinite) { throw fail("earlyRefreshBeta must be a positive number") }
        if let soft = factorySoftTimeout, soft <= .zero || soft > factoryHardTimeout {
            throw fail("factorySoftTimeout must be positive and no longer than factoryHardTimeout")
        }
    }
}
