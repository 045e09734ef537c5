import Synchronization

/// How a ``SharedCache`` has answered since it was created, by tier.
///
/// A read is a local hit, or a local miss followed by a Redis hit or a Redis miss (this instance took the
/// fill lock and ran the factory); reads that waited for another instance's fill or were answered without
/// Redis count only as local misses.
public struct SharedCacheStatistics: Sendable, Hashable {
    /// Fresh answers from the in-process tier.
    public var localHits: Int
    /// Reads the in-process tier could not answer (absent, stale, untrusted or switched off).
    public var localMisses: Int
    /// Fresh answers from Redis.
    public var redisHits: Int
    /// Reads for which this instance ran the factory.
    public var redisMisses: Int

    /// Creates statistics.
    public init(localHits: Int = 0, localMisses: Int = 0, redisHits: Int = 0, redisMisses: Int = 0) {
        self.localHits = localHits
        self.localMisses = localMisses
        self.redisHits = redisHits
        self.redisMisses = redisMisses
    }
}

/// The counters behind ``SharedCacheStatistics`` that are not kept in the in-process tier's shards; they
/// change only on paths that go to Redis anyway.
final class SharedCacheCounters: Sendable {
    let localMisses = Atomic<Int>(0)
    let redisHits = Atomic<Int>(0)
    let redisMisses = Atomic<Int>(0)
}
