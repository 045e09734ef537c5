import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// The fleet-wide latency summary against real redis-servers: two instances' counts add up, and without Redis
/// each instance falls back to its own.
@Suite struct FleetLatencySummaryTests {
    /// One instance: 1,000 calls of 1 ms. The other: 50 of 5 ms and 50 of 30 ms. Their own p95s are 1 ms and
    /// 30 ms; the p95 of the 1,100 together is 5 ms (rank 1,045), which neither sees alone.
    private static let first: [(Duration, Int)] = [(.milliseconds(1), 1_000)]
    private static let second: [(Duration, Int)] = [(.milliseconds(5), 50), (.milliseconds(30), 50)]

    @Test func twoInstancesConvergeOnThePercentileOfTheirCombinedLatencies() async throws {
        try await withSummaries { server, summaries in
            let delays = try summaries.map { try $0.hedgingDelay(for: "payments", whenUnknown: .milliseconds(77)) }
            #expect(delays[0].hedgingDelay(beforeAttempt: 2) == .milliseconds(77))
            record(Self.first, into: delays[0])
            record(Self.second, into: delays[1])
            try await summaries[0].sync()
            try await summaries[1].sync()
            try await summaries[0].sync()

            let combined = histogram(Self.first + Self.second).quantile(0.95)
            #expect(combined == .microseconds(5_120))
            let expected = FleetLatencyEstimate(quantile: .microseconds(5_120), samples: 1_100, isFleetWide: true)
            #expect(delays[0].estimate == expected)
            #expect(delays[1].estimate == expected)
            #expect(delays[0].hedgingDelay(beforeAttempt: 2) == .microseconds(5_120))

            // One hash per dependency and window, expiring once no read covers it.
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let keys = try #require(try await client.send("KEYS", "bulwark:latency:*").array)
            #expect(keys.count == 1)
            let key = try #require(keys.first?.string)
            #expect(key.hasPrefix("bulwark:latency:{payments}:"))
            let ttl = try #require(try await client.send("PTTL", key).int)
            #expect(ttl > 0 && ttl <= 70_000)
        }
    }

    @Test func withoutRedisEachInstanceUsesItsOwnPercentile() async throws {
        try await withSummaries { server, summaries in
            let delays = try summaries.map { try $0.hedgingDelay(for: "payments", whenUnknown: .milliseconds(77)) }
            record(Self.first, into: delays[0])
            record(Self.second, into: delays[1])
            try await summaries[1].sync()
            try await summaries[0].sync()
            #expect(delays[0].estimate?.isFleetWide == true)

            try await server.stop()
            record([(.milliseconds(1), 10)], into: delays[0])
            let error = await #expect(throws: SharedStateError.self) { try await summaries[0].sync() }
            #expect(error?.code == .storeUnavailable)
            let local = FleetLatencyEstimate(quantile: .microseconds(1_024), samples: 1_010, isFleetWide: false)
            #expect(delays[0].estimate == local)
            #expect(delays[0].hedgingDelay(beforeAttempt: 2) == .microseconds(1_024))
            #expect(summaries[0].estimate(for: "payments") == local)
        }
    }

    @Test func countsThatCouldNotBeFlushedGoWithTheNextSync() async throws {
        try await withSummaries { server, summaries in
            let delay = try summaries[0].hedgingDelay(for: "search", whenUnknown: .zero)
            record(Self.second, into: delay)
            try await server.stop()
            await #expect(throws: SharedStateError.self) { try await summaries[0].sync() }
            try await server.restart()
            try await eventually { try await summaries[0].sync() }
            #expect(delay.estimate == FleetLatencyEstimate(quantile: .microseconds(30_720), samples: 100, isFleetWide: true))
        }
    }

    @Test func namesAndConfigurationsAreCheckedAndDependenciesBounded() async throws {
        let client = try RedisClient(url: "redis://127.0.0.1:1")
        defer { client.shutdown() }
        let summary = try FleetLatencySummary(client: client, configuration: FleetLatencyConfiguration(maxDependencies: 1))
        let badName = #expect(throws: SharedStateError.self) { try summary.hedgingDelay(for: "pay ments", whenUnknown: .zero) }
        #expect(badName?.code == .invalidName)
        _ = try summary.hedgingDelay(for: "payments", whenUnknown: .zero)
        let full = #expect(throws: SharedStateError.self) { try summary.hedgingDelay(for: "search", whenUnknown: .zero) }
        #expect(full?.code == .limitReached)
        #expect(summary.estimate(for: "search") == nil)

        let invalid: [(FleetLatencyConfiguration, String)] = [
            (FleetLatencyConfiguration(quantile: 1), "quantile must be above 0 and below 1, got 1.0"),
            (FleetLatencyConfiguration(windows: 0), "windows must be from 1 to 60, got 0"),
            (FleetLatencyConfiguration(flushInterval: .seconds(10)), "staleAfter must be at least flushInterval, got 5.0 seconds"),
            (FleetLatencyConfiguration(keyPrefix: "a{b}"), "keyPrefix must be non-empty, without braces or spaces"),
        ]
        for (configuration, message) in invalid {
            let error = #expect(throws: SharedStateError.self) { try FleetLatencySummary(client: client, configuration: configuration) }
            #expect(error?.code == .invalidConfiguration)
            #expect(error?.message == message)
        }
    }

    @Test func bucketsAreContiguousAndAtMostAnEighthWide() {
        var previous = Duration.zero
        for bucket in 0..<LatencyHistogram.bucketCount {
            let upper = LatencyHistogram.upperBound(ofBucket: bucket)
            #expect(upper > previous)
            // The last latency of the bucket falls in it, the bound itself in the next one.
            #expect(LatencyHistogram.bucket(of: upper - .microseconds(1)) == bucket)
            if bucket + 1 < LatencyHistogram.bucketCount { #expect(LatencyHistogram.bucket(of: upper) == bucket + 1) }
            if bucket >= 8 { #expect((upper - previous) * 8 <= previous) }
            previous = upper
        }
        #expect(LatencyHistogram.bucket(of: .seconds(100_000)) == LatencyHistogram.bucketCount - 1)
        #expect(LatencyHistogram.bucket(of: .zero - .seconds(1)) == 0)
    }

    private func record(_ latencies: [(Duration, Int)], into delay: FleetHedgingDelay) {
        for (latency, count) in latencies {
            for _ in 0..<count { delay.recordLatency(latency) }
        }
    }

    private func histogram(_ latencies: [(Duration, Int)]) -> LatencyHistogram {
        var histogram = LatencyHistogram()
        for (latency, count) in latencies { histogram.add(LatencyHistogram.bucket(of: latency), count: count) }
        return histogram
    }

    /// Starts a redis-server and two summaries, each over a client of its own, with 10 samples enough.
    private func withSummaries(_ body: (RedisServerProcess, [FleetLatencySummary]) async throws -> Void) async throws {
        let server = try await RedisServerProcess.start()
        let clients = try (0..<2).map { _ in try RedisClient(url: server.url) }
        defer {
            for client in clients { client.shutdown() }
        }
        do {
            let configuration = FleetLatencyConfiguration(minimumSamples: 10)
            let summaries = try clients.map { try FleetLatencySummary(client: $0, configuration: configuration) }
            try await body(server, summaries)
        } catch {
            await server.shutdown()
            throw error
        }
        await server.shutdown()
    }
}
