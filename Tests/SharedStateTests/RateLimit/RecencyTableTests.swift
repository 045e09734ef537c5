import Resilience
import Testing

/// The bounded per-key table behind the rate limiters: least recently used out first, idle keys out as others
/// arrive, never more than its capacity.
@Suite struct RecencyTableTests {
    /// Counts the uses of `key` in `table`: 1 means it was (re)made just now.
    private func use(
        _ table: inout RecencyTable<String, Int>,
        _ key: String,
        at now: ContinuousClock.Instant,
        idleBefore: ContinuousClock.Instant? = nil
    ) -> Int {
        table.access(key, now: now, idleBefore: idleBefore ?? now - .seconds(3_600)) {
            0
        } _: { uses in
            uses += 1
            return uses
        }
    }

    @Test func aNewKeyPastTheCapacityEvictsTheLeastRecentlyUsed() {
        var table = RecencyTable<String, Int>(capacity: 3)
        let start = ContinuousClock.now
        for (offset, key) in ["a", "b", "c"].enumerated() { _ = use(&table, key, at: start + .seconds(offset)) }
        let aAgain = use(&table, "a", at: start + .seconds(3))
        let d = use(&table, "d", at: start + .seconds(4))
        #expect(aAgain == 2)
        #expect(d == 1)
        #expect(table.count == 3)
        // "b" was the least recently used: forgotten, so it starts again; "a" kept its count.
        let a = use(&table, "a", at: start + .seconds(5))
        #expect(a == 3)
        let b = use(&table, "b", at: start + .seconds(6))
        #expect(b == 1)
        #expect(table.count == 3)
    }

    @Test func idleKeysLeaveFromTheOldEndAsOthersArrive() {
        var table = RecencyTable<String, Int>(capacity: 100)
        let start = ContinuousClock.now
        for index in 0..<10 { _ = use(&table, "old-\(index)", at: start) }
        // Each access drops at most two idle keys: five accesses drain all ten without a scan.
        for index in 0..<5 { _ = use(&table, "new-\(index)", at: start + .seconds(10), idleBefore: start + .seconds(5)) }
        #expect(table.count == 5)
        let old = use(&table, "old-9", at: start + .seconds(11))
        #expect(old == 1)
    }
}
