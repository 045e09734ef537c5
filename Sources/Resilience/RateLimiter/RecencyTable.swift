/// A bounded map that remembers which entry was used least recently, for per-key state (rate-limit windows,
/// reserved token batches) that must not grow without bound.
///
/// Every operation is O(1): entries sit in a doubly linked list threaded through an array, most recent first.
/// When the table is full, a new key evicts the least recently used entry; entries idle since before a given
/// instant leave from the old end, at most two per access, so a burst of keys that stopped arriving drains
/// without any scan.
package struct RecencyTable<Key: Hashable, Value> {
    private struct Slot {
        var key: Key
        var value: Value
        var lastUsed: ContinuousClock.Instant
        var newer: Int
        var older: Int
    }

    /// The most entries held.
    package let capacity: Int
    private var index: [Key: Int] = [:]
    private var slots: [Slot?] = []
    private var free: [Int] = []
    private var newest = -1
    private var oldest = -1

    /// Creates an empty table of at most `capacity` entries (at least 1).
    package init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// How many entries the table holds.
    package var count: Int { index.count }

    /// Runs `body` on `key`'s value, made by `make` when absent, and marks it used at `now`.
    ///
    /// First drops up to two of the oldest entries last used before `idleBefore`; then, if `key` is new and the
    /// table is full, the least recently used entry.
    package mutating func access<Result>(
        _ key: Key,
        now: ContinuousClock.Instant,
        idleBefore: ContinuousClock.Instant,
        make: () -> Value,
        _ body: (inout Value) -> Result
    ) -> Result {
        for _ in 0..<2 {
            guard oldest >= 0, let slot = slots[oldest], slot.lastUsed < idleBefore, slot.key != key else { break }
            remove(at: oldest)
        }
        let position: Int
        if let existing = index[key] {
            unlink(existing)
            position = existing
        } else {
            if index.count >= capacity, oldest >= 0 { remove(at: oldest) }
            let slot = Slot(key: key, value: make(), lastUsed: now, newer: -1, older: -1)
            if let reused = free.popLast() {
                slots[reused] = slot
                position = reused
            } else {
                slots.append(slot)
                position = slots.count - 1
            }
            index[key] = position
        }
        slots[position]!.lastUsed = now
        linkNewest(position)
        return body(&slots[position]!.value)
    }

    /// Calls `body` with every value, in no particular order (O(n); for rare whole-table changes).
    package mutating func forEachValue(_ body: (inout Value) -> Void) {
        for position in index.values { body(&slots[position]!.value) }
    }

    private mutating func remove(at position: Int) {
        unlink(position)
        if let slot = slots[position] { index[slot.key] = nil }
        slots[position] = nil
        free.append(position)
    }

    private mutating func unlink(_ position: Int) {
        guard let slot = slots[position] else { return }
        if slot.newer >= 0 { slots[slot.newer]!.older = slot.older } else if newest == position { newest = slot.older }
        if slot.older >= 0 { slots[slot.older]!.newer = slot.newer } else if oldest == position { oldest = slot.newer }
        slots[position]!.newer = -1
        slots[position]!.older = -1
    }

    private mutating func linkNewest(_ position: Int) {
        slots[position]!.older = newest
        slots[position]!.newer = -1
        if newest >= 0 { slots[newest]!.newer = position }
        newest = position
        if oldest < 0 { oldest = position }
    }
}
