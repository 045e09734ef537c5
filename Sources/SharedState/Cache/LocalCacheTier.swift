import Synchronization

/// The in-process tier: a bounded map of encoded values with their freshness, oldest evicted first.
///
/// It holds bytes, not values, so that a hit decodes a private copy and callers never share mutable state.
/// A hit copies the bytes rather than sharing the stored array: on a hot key, callers on several cores
/// retaining and releasing one buffer would fight over its reference count's cache line, which costs more
/// than copying a few hundred bytes.
/// Keys are spread over 16 independently locked shards, so that concurrent hits on different keys rarely
/// wait for each other. The shard is picked by FNV-1a of the key's bytes rather than by `hashValue`, so
/// that a hit hashes the key with SipHash once (in the shard's dictionary), not twice; keys crafted to land
/// in one shard could only make its lock busier.
final class LocalCacheTier: Sendable {
    private static let shardCount = 16
    private let shards: [LocalCacheShard]
    /// Removals so far (invalidations, here or announced by another instance).
    private let removals = Atomic<UInt64>(0)

    init(capacity: Int) {
        let perShard = max(1, (capacity + Self.shardCount - 1) / Self.shardCount)
        shards = (0..<Self.shardCount).map { _ in LocalCacheShard(capacity: perShard) }
    }

    private func shard(_ key: String) -> LocalCacheShard {
        var key = key
        let hash = key.withUTF8 { bytes in
            bytes.reduce(UInt32(2_166_136_261)) { ($0 ^ UInt32($1)) &* 16_777_619 }
        }
        return shards[Int(hash % UInt32(Self.shardCount))]
    }

    /// The entry for `key`, fresh or not; the caller decides what stale means to it.
    func entry(_ key: String) -> Entry? { shard(key).entry(key) }

    /// The value of `key` when it is fresh at `now`, counted as a hit in the shard's lock.
    func freshBytes(_ key: String, at now: ContinuousClock.Instant) -> [UInt8]? { shard(key).freshBytes(key, at: now) }

    /// Fresh answers given so far, summed over the shards.
    var hits: Int { shards.reduce(0) { $0 + $1.hits } }

    func store(_ key: String, _ entry: Entry) { shard(key).store(key, entry) }

    func remove(_ key: String) {
        removals.add(1, ordering: .releasing)
        shard(key).remove(key)
    }

    func remove(prefix: String) {
        removals.add(1, ordering: .releasing)
        for shard in shards { shard.remove(prefix: prefix) }
    }

    func remove(tag: String) {
        removals.add(1, ordering: .releasing)
        for shard in shards { shard.remove(tag: tag) }
    }

    func removeAll() {
        removals.add(1, ordering: .releasing)
        for shard in shards { shard.removeAll() }
    }

    /// How many removals happened so far: a value read or announced before a removal may be one it invalidated,
    /// so it is neither answered from a kept message nor kept in this tier when this count moved meanwhile.
    var removalCount: UInt64 { removals.load(ordering: .acquiring) }

    var count: Int { shards.reduce(0) { $0 + $1.count } }

    /// One cached value.
    typealias Entry = LocalCacheShard.Entry
}

/// One shard of the in-process tier.
final class LocalCacheShard: Sendable {
    struct Entry: Sendable {
        var bytes: [UInt8]
        var freshUntil: ContinuousClock.Instant
        var staleUntil: ContinuousClock.Instant
        var tags: [String]

        /// A copy of the bytes in a new array when the entry is fresh at `now`. `mutating` only so that it
        /// is reached in place through the dictionary's `_modify` accessor: a plain read would copy the
        /// entry, retaining its shared arrays.
        mutating func copyOfBytes(ifFreshAt now: ContinuousClock.Instant) -> [UInt8]? {
            guard freshUntil > now else { return nil }
            return bytes.withUnsafeBufferPointer { Array($0) }
        }
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var orderStart = 0
        var hits = 0
    }

    private let capacity: Int
    private let storage = Mutex(Storage())

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// The entry for `key`, fresh or not; the caller decides what stale means to it.
    func entry(_ key: String) -> Entry? {
        storage.withLock { $0.entries[key] }
    }

    /// A private copy of the value of `key` when it is fresh at `now`.
    func freshBytes(_ key: String, at now: ContinuousClock.Instant) -> [UInt8]? {
        storage.withLock { storage in
            guard let index = storage.entries.index(forKey: key),
                let bytes = storage.entries.values[index].copyOfBytes(ifFreshAt: now)
            else { return nil }
            storage.hits &+= 1
            return bytes
        }
    }

    var hits: Int { storage.withLock { $0.hits } }

    func store(_ key: String, _ entry: Entry) {
        storage.withLock { storage in
            if storage.entries.updateValue(entry, forKey: key) == nil {
                storage.order.append(key)
            }
            while storage.entries.count > capacity, storage.orderStart < storage.order.count {
                let oldest = storage.order[storage.orderStart]
                storage.orderStart += 1
                storage.entries[oldest] = nil
            }
            // Compact the eviction queue once most of it is spent, so it does not grow without bound.
            if storage.orderStart > 1_024, storage.orderStart * 2 > storage.order.count {
                storage.order.removeFirst(storage.orderStart)
                storage.orderStart = 0
                storage.order.removeAll { storage.entries[$0] == nil }
            }
        }
    }

    func remove(_ key: String) {
        storage.withLock { _ = $0.entries.removeValue(forKey: key) }
    }

    func remove(prefix: String) {
        storage.withLock { storage in
            for key in storage.entries.keys where key.hasPrefix(prefix) { storage.entries[key] = nil }
        }
    }

    func remove(tag: String) {
        storage.withLock { storage in
            for (key, entry) in storage.entries where entry.tags.contains(tag) { storage.entries[key] = nil }
        }
    }

    func removeAll() {
        storage.withLock { storage in storage = Storage() }
    }

    var count: Int { storage.withLock { $0.entries.count } }
}
