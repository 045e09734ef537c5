/// One cache value as Redis holds it, for operators (``SharedCache/inspect(_:)``).
public struct SharedCacheEntry: Sendable, Hashable {
    /// The cache key.
    public var key: String
    /// The stored bytes, as the cache's codec wrote them.
    public var bytes: [UInt8]
    /// Freshness left, by Redis's clock; negative when the value is stale (kept only as a fail-safe).
    public var freshFor: Duration
    /// How long until Redis drops the value: its freshness plus the fail-safe age.
    public var expiresIn: Duration
    /// The tags the value is filed under.
    public var tags: [String]
    /// Whether every read extends its freshness (sliding expiration).
    public var sliding: Bool

    /// Whether the value is still fresh.
    public var isFresh: Bool { freshFor > .zero }

    /// Creates an entry.
    public init(key: String, bytes: [UInt8], freshFor: Duration, expiresIn: Duration, tags: [String], sliding: Bool) {
        self.key = key
        self.bytes = bytes
        self.freshFor = freshFor
        self.expiresIn = expiresIn
        self.tags = tags
        self.sliding = sliding
    }
}
