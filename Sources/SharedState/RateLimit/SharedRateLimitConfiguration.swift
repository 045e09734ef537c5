/// A fleet-wide rate limit: ``limit`` permits per ``period`` and key, bursts up to ``burst``, and how each
/// instance reserves batches of tokens so that most decisions cost no round trip.
public struct SharedRateLimitConfiguration: Sendable, Hashable {
    /// The limit's name, part of every Redis key; 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
    public var name: String
    /// Permits per ``period`` and key, fleet-wide; 1 to 1,000,000,000.
    public var limit: Int
    /// The period of ``limit``: 1 ms to 30 days.
    public var period: Duration
    /// The largest burst, in permits (GCRA's burst tolerance); ``limit`` when `nil`. A bucket left alone
    /// refills to it; a fleet that has been quiet may admit this many at once.
    public var burst: Int?
    /// The most tokens one reservation takes for one instance (never more than the bucket holds); 1 turns
    /// batching off. 1 to 1,000,000.
    public var maximumBatch: Int
    /// `k` in `batch = clamp(remaining ÷ (k × live instances), 1, maximumBatch)`: the larger, the smaller the
    /// batches near the limit (and the more round trips); 1 to 1,000.
    public var shrinkFactor: Int
    /// How long reserved tokens stay spendable; unspent ones are dropped (never refunded), so an instance
    /// never spends a token reserved longer ago than this. 1 ms to 60 s.
    public var batchLifetime: Duration
    /// After Redis refuses a key, how long this instance refuses it locally without asking again (at least the
    /// time until Redis would have a token). Only lowers admissions; 0 to 1 s.
    public var deniedPause: Duration
    /// The prefix of every key; `bulwark` by default, as for the other stores.
    public var keyPrefix: String
    /// The most keys whose batches this instance keeps; the key used least recently is forgotten past it
    /// (its unspent tokens are dropped). 1 to 1,000,000.
    public var maximumKeys: Int
    /// How long a heartbeat keeps an instance counted as live (the instance directory's time to live).
    public var instanceTimeToLive: Duration
    /// While on the local fallback, how often one call tries Redis again; 1 ms to 60 s.
    public var probeInterval: Duration

    /// Creates a configuration.
    /// - Parameters:
    ///   - name: The limit's name.
    ///   - limit: Permits per period and key.
    ///   - period: The period.
    ///   - burst: The largest burst; `nil` for `limit`.
    ///   - maximumBatch: The largest reservation; 100 by default.
    ///   - shrinkFactor: How fast batches shrink near the limit; 4 by default.
    ///   - batchLifetime: How long reserved tokens stay spendable; 1 s by default.
    ///   - deniedPause: How long a refused key is refused locally; 10 ms by default.
    ///   - keyPrefix: The key prefix.
    ///   - maximumKeys: The most keys tracked locally; 10,000 by default.
    ///   - instanceTimeToLive: How long a heartbeat counts; 10 s by default.
    ///   - probeInterval: How often Redis is tried while away; 250 ms by default.
    public init(
        name: String,
        limit: Int,
        period: Duration,
        burst: Int? = nil,
        maximumBatch: Int = 100,
        shrinkFactor: Int = 4,
        batchLifetime: Duration = .seconds(1),
        deniedPause: Duration = .milliseconds(10),
        keyPrefix: String = "bulwark",
        maximumKeys: Int = 10_000,
        instanceTimeToLive: Duration = .seconds(10),
        probeInterval: Duration = .milliseconds(250)
    ) {
        self.name = name
        self.limit = limit
        self.period = period
        self.burst = burst
        self.maximumBatch = maximumBatch
        self.shrinkFactor = shrinkFactor
        self.batchLifetime = batchLifetime
        self.deniedPause = deniedPause
        self.keyPrefix = keyPrefix
        self.maximumKeys = maximumKeys
        self.instanceTimeToLive = instanceTimeToLive
        self.probeInterval = probeInterval
    }

    /// The burst in effect: ``burst`` or ``limit``.
    public var effectiveBurst: Int { burst ?? limit }

    /// Checks every field.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration`` (or
    ///   ``SharedStateError/Code/invalidName``) naming the limit and the field at fault.
    public func validate() throws(SharedStateError) {
        try NameRule("rate limit name", maximumBytes: 64, punctuation: "._-").validate(name)
        try NameRule("rate limit '\(name)': keyPrefix", maximumBytes: 64, punctuation: "._-:").validate(keyPrefix)
        func fail(_ message: String) -> SharedStateError {
            SharedStateError(.invalidConfiguration, "rate limit '\(name)': \(message)")
        }
        guard (1...1_000_000_000).contains(limit) else { throw fail("limit must be 1 to 1000000000, got \(limit)") }
        guard period >= .milliseconds(1), period <= .seconds(30 * 86_400) else {
            throw fail("period must be 1 ms to 30 days, got \(period)")
        }
        guard (1...1_000_000_000).contains(effectiveBurst) else { throw fail("burst must be 1 to 1000000000, got \(effectiveBurst)") }
        // The bucket's depth in time (burst × emission interval) is kept in µs in Lua doubles: bound it.
        guard Double(effectiveBurst) / Double(limit) * Self.seconds(period) <= 30 * 86_400 else {
            throw fail("burst ÷ limit × period must be at most 30 days (the bucket's depth), got burst \(effectiveBurst)")
        }
        guard Self.seconds(period) / Double(limit) >= 1e-9 else { throw fail("limit ÷ period must be at most 10⁹ per second") }
        guard (1...1_000_000).contains(maximumBatch) else { throw fail("maximumBatch must be 1 to 1000000, got \(maximumBatch)") }
        guard (1...1_000).contains(shrinkFactor) else { throw fail("shrinkFactor must be 1 to 1000, got \(shrinkFactor)") }
        guard batchLifetime >= .milliseconds(1), batchLifetime <= .seconds(60) else {
            throw fail("batchLifetime must be 1 ms to 60 s, got \(batchLifetime)")
        }
        guard deniedPause >= .zero, deniedPause <= .seconds(1) else { throw fail("deniedPause must be 0 to 1 s, got \(deniedPause)") }
        guard (1...1_000_000).contains(maximumKeys) else { throw fail("maximumKeys must be 1 to 1000000, got \(maximumKeys)") }
        guard instanceTimeToLive >= .milliseconds(1), instanceTimeToLive <= .seconds(3_600) else {
            throw fail("instanceTimeToLive must be 1 ms to 1 h, got \(instanceTimeToLive)")
        }
        guard probeInterval >= .milliseconds(1), probeInterval <= .seconds(60) else {
            throw fail("probeInterval must be 1 ms to 60 s, got \(probeInterval)")
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
