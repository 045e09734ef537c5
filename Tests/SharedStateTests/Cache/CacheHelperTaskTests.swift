import RedisClient
import RedisTestSupport
import Testing

@testable import SharedState

/// No task the cache starts outlives its purpose (issue 14, finding 13).
@Suite struct CacheHelperTaskTests {
    @Test func aMissLeavesNoTaskBehind() async throws {
        try await withCaches(1) { _, caches in
            let counter = FactoryCounter()
            let made = try await caches[0].getOrSet("miss") { try await counter.make(1) }
            #expect(made == 1)
            #expect(counter.count == 1)
            // The factory's timeout (30 s) must end with the factory, not run out on its own.
            try await waitForNoHelperTasks(caches[0])
        }
    }

    @Test func aFactoryLeftInTheBackgroundEndsAtItsHardTimeout() async throws {
        var configuration = SharedCacheConfiguration()
        configuration.localTierEnabled = false
        configuration.factorySoftTimeout = .milliseconds(20)
        configuration.factoryHardTimeout = .milliseconds(300)
        try await withCaches(1, configuration: configuration) { _, caches in
            let cache = caches[0]
            _ = try await cache.getOrSet("report", options: .init(timeToLive: .milliseconds(1))) { 1 }
            try await eventually { () async throws in
                guard let entry = try await cache.inspect("report"), !entry.isFresh else { throw SharedStateError(.unexpectedReply, "still fresh") }
            }
            // A factory that never ends by itself: the stale value answers, and the factory is cancelled at the
            // hard timeout instead of being awaited forever.
            let stale = try await cache.getOrSet("report") { () async throws -> Int in
                try await Task.sleep(for: .seconds(3_600))
                return 2
            }
            #expect(stale == 1)
            try await waitForNoHelperTasks(cache)
            #expect(try await cache.client.send("EXISTS", cache.lockKey("report")).int == 0)
        }
    }
}
