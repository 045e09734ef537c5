/// How one value is cached.
public struct CacheEntryOptions: Sendable {
    /// How long the value stays fresh; the cache's default when `nil`.
    public var timeToLive: Duration?
    /// Whether every read extends the freshness by the TTL again (sliding expiration).
    public var sliding: Bool
    /// Tags to invalidate the value by, together with others.
    public var tags: [String]

    /// Creates options.
    public init(timeToLive: Duration? = nil, sliding: Bool = false, tags: [String] = []) {
        self.timeToLive = timeToLive
        self.sliding = sliding
        self.tags = tags
    }
}
