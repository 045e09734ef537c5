import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// The fleet-wide GCRA limiter against a real redis-server, with several clients standing for instances.
@Suite struct SharedRateLimiterTests {
    private static let day = Duration.seconds(86_400)

    @Test func fourInstancesSharingOneLimitAdmitTheLimitAndNoMore() async throws {
        let configuration = SharedRateLimitConfiguration(name: "api", limit: 1_000, period: Self.day, maximumBatch: 50, batchLifetime: .seconds(60))
        try await withRateLimiters(4, configuration) { _, limiters in
            let clock = ContinuousClock()
            let start = clock.now
            let admitted = try await withThrowingTaskGroup(of: Int.self) { group in
                for limiter in limiters {
                    group.addTask { try await hammer(limiter, key: "tenant-1/orders", callers: 8, attempts: 500) }
                }
                return try await group.reduce(0, +)
            }
            // Tokens still reserved locally are spent; then every token Redis handed out is accounted for.
            var drained = 0
            for limiter in limiters { drained += try await admittedUntilRefused(limiter, key: "tenant-1/orders") }
            let allowance = refill(limit: 1_000, period: Self.day, elapsed: clock.now - start)
            let reserved = limiters.reduce(0) { $0 + $1.statistics.reservedTokens }
            let scriptCalls = limiters.reduce(0) { $0 + $1.statistics.scriptCalls }
            #expect(admitted + drained >= 1_000)
            #expect(admitted + drained <= 1_000 + allowance)
            #expect(reserved == admitted + drained)
            // Batching: far fewer round trips than admissions.
            #expect(scriptCalls * 4 < admitted + drained)
        }
    }

    @Test func concurrentCallersShortOfTokensShareOneReservation() async throws {
        let configuration = SharedRateLimitConfiguration(name: "api", limit: 1_000, period: Self.day, maximumBatch: 100, batchLifetime: .seconds(60))
        try await withRateLimiters(1, configuration) { _, limiters in
            let limiter = limiters[0]
            let admitted = try await hammer(limiter, key: "tenant-1", callers: 16, attempts: 1)
            // 16 callers need 16 tokens; the first batch is 100: one round trip, not one per caller.
            #expect(admitted == 16)
            #expect(limiter.statistics.scriptCalls == 1)
            #expect(limiter.statistics.reservedTokens == 100)
        }
    }

    @Test func batchesShrinkAsTheBucketEmpties() async throws {
        let configuration = SharedRateLimitConfiguration(
            name: "api",
            limit: 1_000,
            period: Self.day,
            maximumBatch: 100,
            shrinkFactor: 2,
            batchLifetime: .seconds(60),
            instanceTimeToLive: .seconds(600)
        )
        try await withRateLimiters(1, configuration) { server, limiters in
            let limiter = limiters[0]
            try await announce(["a", "b"], on: limiter.client)
            var batches: [Int] = []
            var calls = 0
            while try await limiter.acquire(key: "tenant-1").decision.isAllowed {
                let statistics = limiter.statistics
                if statistics.scriptCalls > calls {
                    calls = statistics.scriptCalls
                    batches.append(statistics.lastBatch)
                }
            }
            let sorted = batches.sorted(by: >)
            let total = batches.reduce(0, +)
            #expect(batches.first == 100)
            #expect(batches == sorted)
            #expect(batches.last == 1)
            #expect((1_000...1_001).contains(total))
            // remaining ÷ (k × live) = 1000 ÷ 4: capped at 100 while more than 400 are left, then shrinking.
            let firstShrunk = batches.firstIndex { $0 < 100 }
            #expect(firstShrunk == 7)
            #expect(limiter.liveInstances == 2)
            let ttl = try await limiter.client.send("PTTL", limiter.redisKey("tenant-1")).int ?? -2
            #expect(ttl > 0)
            #expect(ttl <= 86_400_001)
            _ = server
        }
    }

    @Test func redisKilledMeansLimitDividedByLiveInstancesThenSharedAgain() async throws {
        let configuration = SharedRateLimitConfiguration(
            name: "api",
            limit: 100,
            period: Self.day,
            maximumBatch: 1,
            instanceTimeToLive: .seconds(600),
            probeInterval: .milliseconds(20)
        )
        try await withRateLimiters(1, configuration) { server, limiters in
            let limiter = limiters[0]
            try await announce(["a", "b"], on: limiter.client)
            let first = try await limiter.acquire(key: "tenant-1")
            #expect(first.decision.isAllowed)
            #expect(limiter.status == .shared)
            #expect(limiter.liveInstances == 2)

            try await server.kill()
            let admitted = try await admittedUntilRefused(limiter, key: "tenant-1")
            let refused = try await limiter.acquire(key: "tenant-1")
            let degraded = limiter.status.isDegraded
            #expect(degraded)
            #expect(admitted == 50)
            #expect(!refused.decision.isAllowed)
            #expect(limiter.statistics.fallbacks == 1)
            #expect("\(limiter.status)".contains("unreachable"))

            try await server.restart()
            var status = limiter.status
            for _ in 0..<500 where status.isDegraded {
                _ = try await limiter.acquire(key: "tenant-2")
                status = limiter.status
                if status.isDegraded { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(status == .shared)
            // The restarted Redis has an empty bucket for the key: shared decisions admit again.
            let afterwards = try await limiter.acquire(key: "tenant-3")
            #expect(afterwards.decision.isAllowed)
            #expect(limiter.statistics.fallbacks == 1)
        }
    }

    @Test func badConfigurationIsRefusedNamingTheLimitAndField() async throws {
        let cases: [(SharedRateLimitConfiguration, String)] = [
            (SharedRateLimitConfiguration(name: "api", limit: 0, period: .seconds(1)), "rate limit 'api': limit"),
            (SharedRateLimitConfiguration(name: "api", limit: -5, period: .seconds(1)), "rate limit 'api': limit"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .zero), "rate limit 'api': period"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(365 * 86_400)), "rate limit 'api': period"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), burst: 0), "rate limit 'api': burst"),
            (SharedRateLimitConfiguration(name: "api", limit: 1, period: .seconds(86_400), burst: 1_000_000), "rate limit 'api': burst ÷ limit"),
            (SharedRateLimitConfiguration(name: "api", limit: 1_000_000_000, period: .milliseconds(1)), "rate limit 'api': limit ÷ period"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), maximumBatch: 0), "rate limit 'api': maximumBatch"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), shrinkFactor: 0), "rate limit 'api': shrinkFactor"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), batchLifetime: .zero), "rate limit 'api': batchLifetime"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), maximumKeys: 0), "rate limit 'api': maximumKeys"),
            (SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1), keyPrefix: "bad prefix"), "rate limit 'api': keyPrefix"),
            (SharedRateLimitConfiguration(name: "bad name", limit: 10, period: .seconds(1)), "rate limit name"),
        ]
        let client = try RedisClient(url: "redis://127.0.0.1:1")
        defer { client.shutdown() }
        for (configuration, prefix) in cases {
            let failure: SharedStateError
            do {
                _ = try SharedRateLimiter(client: client, configuration: configuration)
                Issue.record("accepted \(configuration)")
                continue
            } catch {
                failure = error
            }
            let named = failure.message.hasPrefix(prefix)
            #expect(named, "\(failure.message)")
            #expect(failure.code == .invalidConfiguration || failure.code == .invalidName)
        }
    }

    @Test func badKeysAndPermitsAreRefusedAndTouchNothing() async throws {
        let configuration = SharedRateLimitConfiguration(name: "api", limit: 10, period: .seconds(1))
        try await withRateLimiters(1, configuration) { _, limiters in
            let limiter = limiters[0]
            for key in ["", "has space", "tenant{1}", String(repeating: "k", count: 201), "tenant\n1"] {
                await #expect(throws: SharedStateError.self) { try await limiter.acquire(key: key) }
            }
            await #expect(throws: SharedStateError.self) { try await limiter.acquire(key: "tenant-1", permits: 0) }
            let tooMany = try await limiter.acquire(key: "tenant-1", permits: 11)
            #expect(!tooMany.decision.isAllowed)
            let keys = try await limiter.client.send("DBSIZE").int
            #expect(keys == 0)
            #expect(limiter.statistics == SharedRateLimiterStatistics())
        }
    }
}
