import RedisClient
import RedisTestSupport
import Synchronization
import Testing

@testable import SharedState

/// Tag sets stay as small as the entries still alive under them, and a tag of any size is invalidated in
/// bounded steps (issue 14, finding 11).
@Suite struct CacheTagGrowthTests {
    @Test func aTagSetDoesNotOutgrowItsLiveEntries() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.failSafeMaximumAge = .zero
        try await withCaches(1, configuration: configuration) { _, caches in
            let cache = caches[0]
            let tagKey = cache.tagKey("churn")
            _ = try await cache.getOrSet("anchor", options: .init(timeToLive: .seconds(3_600), tags: ["churn"])) { 0 }
            for round in 0..<3 {
                let keys = (0..<60).map { "short:\(round):\($0)" }
                for key in keys { _ = try await cache.getOrSet(key, options: .init(timeToLive: .milliseconds(30), tags: ["churn"])) { 1 } }
                #expect(try await cache.client.send("ZCARD", tagKey).int ?? 0 <= 1 + 60 + 1)
                // Redis drops the short entries by itself; the tag set still names them until the next write.
                try await eventually { () async throws in
                    guard try await cache.client.send(RedisCommand("EXISTS", arguments: keys.map(cache.valueKey))).int == 0 else {
                        throw SharedStateError(.unexpectedReply, "short entries still alive")
                    }
                }
            }
            _ = try await cache.getOrSet("last", options: .init(timeToLive: .seconds(3_600), tags: ["churn"])) { 2 }
            let members = try await cache.client.send("ZRANGE", tagKey, 0, -1).array?.compactMap(\.string) ?? []
            #expect(Set(members) == ["anchor", "last"])
            #expect(try await cache.invalidate(tag: "churn") == 2)
        }
    }

    @Test func aTenThousandMemberTagIsInvalidatedInBatchesEverywhere() async throws {
        try await withCaches(2, configuration: SharedCacheConfiguration(localTierCapacity: 20_000)) { _, caches in
            let count = 10_000
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<8 {
                    group.addTask {
                        for index in stride(from: worker, to: count, by: 8) {
                            await caches[0].store(
                                "big:\(index)",
                                Array("\"\(index)\"".utf8),
                                timeToLive: .seconds(600),
                                sliding: false,
                                tags: ["big"],
                                factoryTime: .zero,
                                lockToken: ""
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await caches[0].client.send("ZCARD", caches[0].tagKey("big")).int == count)
            // The other instance holds some of them in its in-process tier.
            let sample = ["big:0", "big:4999", "big:9999"]
            for key in sample { _ = try await caches[1].getOrSet(key) { "unused" } }
            let sampleHeldLocally = sample.allSatisfy { caches[1].local.entry($0) != nil }
            #expect(sampleHeldLocally)
            _ = try await caches[1].getOrSet("other", options: .init(tags: ["small"])) { "kept" }

            let steps = Mutex<[Int]>([])
            let removed = try await caches[0].invalidate(tag: "big") { total in steps.withLock { $0.append(total) } }
            #expect(removed == count)
            let totals = steps.withLock { $0 }
            let sizes = zip(totals, [0] + totals).map { $0 - $1 }
            // In steps of at most a thousand values: never one script over the whole set.
            #expect(totals.count >= count / 1_000)
            #expect(totals.count >= count / SharedCache.tagBatchSize)
            let everyStepIsABatch = sizes.allSatisfy { $0 > 0 && $0 <= SharedCache.tagBatchSize }
            #expect(everyStepIsABatch, "\(sizes)")
            #expect(totals.last == count)

            try await eventually { () async throws in
                guard sample.allSatisfy({ caches[1].local.entry($0) == nil }) else { throw SharedStateError(.unexpectedReply, "still cached") }
            }
            #expect(caches[1].local.entry("other") != nil)
            #expect(try await caches[0].count(prefix: "big:") == 0)
            #expect(try await caches[0].inspect("other")?.bytes != nil)
            // Nothing of the tag is left behind in Redis, neither its set nor the batch being drained: only
            // `other` and its tag set remain.
            #expect(try await caches[0].client.send("DBSIZE").int == 2)
        }
    }

    @Test func aTagSetOfAnEarlierVersionIsStillInvalidated() async throws {
        try await withCaches(1) { _, caches in
            let cache = caches[0]
            await cache.store("old:1", Array("1".utf8), timeToLive: .seconds(600), sliding: false, tags: [], factoryTime: .zero, lockToken: "")
            // As versions before sorted tag sets filed it.
            _ = try await cache.client.send("SADD", cache.legacyTagKey("mixed"), "old:1")
            _ = try await cache.getOrSet("new:1", options: .init(tags: ["mixed"])) { 2 }
            #expect(try await cache.invalidate(tag: "mixed") == 2)
            #expect(try await cache.client.send("DBSIZE").int == 0)
        }
    }
}
