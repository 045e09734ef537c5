import Synchronization

/// The in-process tier: a bounded map of encoded values with their freshness, oldest evicted first.
///
/// It holds bytes, not values, so that a hit decodes a private copy and callers never share mutable state.
final class LocalCacheTier: Sendable {
    struct Entry: Sendable {
        var bytes: [UInt8]
        var freshUntil: ContinuousClock.Instant
        var staleUntil: ContinuousClock.Instant
        var tags: [String]
    }

    private struct Storage {
        var entries: [String: Entry] = [:]
        var order: [String] = []
        var orderStart = 0
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
