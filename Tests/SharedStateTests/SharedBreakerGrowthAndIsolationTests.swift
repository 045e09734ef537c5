import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// Redis-side rules of shared breakers that keep them correct and bounded: probes of their own generation,
/// prefixes that never meet, windows and indexes that do not grow, and re-seeding after data loss.
@Suite struct SharedBreakerGrowthAndIsolationTests {
    private func consecutive(_ count: Int, breakDuration: Duration) -> CircuitBreakerConfiguration {
        CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(count), breakDuration: .fixed(breakDuration))
    }

    /// Finding 4: outcomes of calls admitted before the trip (or in another generation) never count as probes.
    @Test func onlyProbesOfTheHalfOpenGenerationMoveIt() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("late")
            var configuration = consecutive(1, breakDuration: .milliseconds(50))
            configuration.halfOpen = .init(permittedCalls: 1, successThreshold: 1, maximumWait: .seconds(30))
            let harness = StoreHarness(scope: .shared, configuration: configuration)
            let opened = try await harness.record(stores[0], name, instance: "a", failures: 1)
            let halfOpen = try await eventually {
                let answer = try await harness.propose(stores[0], name, to: .halfOpen, reason: .breakElapsed, generation: opened.generation)
                guard answer.state == .halfOpen else { throw CancellationError() }
                return answer
            }
            // A call admitted while closed fails after the trip: not a probe, nothing moves.
            let lateFailure = try await harness.record(stores[1], name, instance: "b", failures: 1)
            #expect(lateFailure.state == .halfOpen && !lateFailure.changed)
            // Late successes of normal calls, and a probe of an older generation, do not close it either.
            let lateSuccesses = try await harness.record(
                stores[1],
                name,
                instance: "b",
                successes: 5,
                probes: CircuitBreakerProbeOutcomes(generation: opened.generation, successes: 3)
            )
            #expect(lateSuccesses.state == .halfOpen && !lateSuccesses.changed)
            // The probe of this generation does.
            let closed = try await harness.record(
                stores[0],
                name,
                instance: "a",
                probes: CircuitBreakerProbeOutcomes(generation: halfOpen.generation, successes: 1)
            )
            #expect(closed.state == .closed)
            #expect(closed.generation > halfOpen.generation)
        }
    }

    /// Finding 7: every key and the events channel live under the prefix; two prefixes on one Redis never meet.
    @Test func twoPrefixesOnOneRedisAreIsolated() async throws {
        try await withInstances(2, prefixes: ["blue", "green"]) { server, stores in
            let name = try BreakerName("catalog")
            let subscriber = try RedisSubscriber(configuration: RedisConfiguration(url: server.url))
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: [stores[0].eventsChannel])
            let harness = StoreHarness(scope: .shared, configuration: consecutive(1, breakDuration: .seconds(30)))
            // Green trips first, blue second: blue's channel must carry blue's trip only.
            #expect(try await harness.record(stores[1], name, instance: "g", failures: 1).state == .open)
            #expect(try await stores[0].read(name).state == .closed)
            let isolated = try await stores[0].command(.isolate, breaker: name)
            #expect(isolated.state == .isolated)
            var events = subscriber.events.makeAsyncIterator()
            let first = await events.next()
            #expect(first == .message(channel: "blue:breaker-events", payload: Array("catalog \(isolated.generation) isolated 0 manual".utf8)))
            #expect(try await stores[1].read(name).state == .open)
            let keys = try await stores[0].client.send("KEYS", "*").array?.compactMap(\.string) ?? []
            #expect(!keys.isEmpty)
            let everyKeyIsUnderAPrefix = keys.allSatisfy { $0.hasPrefix("blue:") || $0.hasPrefix("green:") }
            #expect(everyKeyIsUnderAPrefix, "\(keys)")
        }
    }

    /// Finding 10: the pooled window is a ring of fixed size, whatever the gaps between reports.
    @Test func theWindowHashKeepsAFixedNumberOfFields() async throws {
        try await withInstances(1) { _, stores in
            let name = try BreakerName("ring")
            let configuration = CircuitBreakerConfiguration(
                failureThreshold: .failureRatio(0.99),
                window: .time(.seconds(2), buckets: 2),
                minimumThroughput: 1_000_000
            )
            let harness = StoreHarness(scope: .shared, configuration: configuration)
            let windowKey = BreakerKeys(name).window
            // Reports one bucket (1 s) apart and with gaps: the old scheme deleted two buckets back only.
            for pause in [0, 1_100, 2_300, 1_100, 3_400] {
                try await Task.sleep(for: .milliseconds(pause))
                _ = try await harness.record(stores[0], name, instance: "a", successes: 2, failures: 1)
                let fields = try await stores[0].client.send("HLEN", windowKey).int ?? 0
                #expect(fields <= 3 * 2)
            }
        }
    }

    /// Finding 10: instance reports and the breaker index are pruned by age.
    @Test func oldInstanceReportsAndUnusedBreakersArePruned() async throws {
        try await withInstances(1) { _, stores in
            let name = try BreakerName("deploys")
            let harness = StoreHarness(scope: .shared, configuration: consecutive(5, breakDuration: .seconds(30)))
            let short = SharedBreakerRetention(reportMilliseconds: 300, breakerMilliseconds: 60_000)
            _ = try await harness.record(stores[0], name, instance: "old-deploy", successes: 1, retention: short)
            let directory = InstanceDirectory()
            try await directory.announce(
                client: stores[0].client,
                instance: "old",
                breakers: [("abandoned", "{}")],
                timeToLive: .seconds(1),
                breakerRetention: .milliseconds(300)
            )
            // Once the retention has passed by Redis's clock, the next report and heartbeat prune the old ones.
            try await eventually(attempts: 200) {
                _ = try await harness.record(stores[0], name, instance: "new-deploy", successes: 1, retention: short)
                let reports = try await stores[0].instanceReports(name)
                guard reports.keys.sorted() == ["new-deploy"] else { throw CancellationError() }
            }
            try await eventually(attempts: 200) {
                try await directory.announce(
                    client: stores[0].client,
                    instance: "new",
                    breakers: [("used", "{}")],
                    timeToLive: .seconds(1),
                    breakerRetention: .milliseconds(300)
                )
                let names = try await stores[0].client.send("HKEYS", "bulwark:breakers").array?.compactMap(\.string) ?? []
                guard names == ["used"] else { throw CancellationError() }
            }
            #expect(try await stores[0].client.send("ZCARD", "bulwark:breakers-seen").int == 1)
            #expect(try await stores[0].client.send("ZCARD", BreakerKeys(name).reporters).int == 1)
        }
    }

    /// Finding 1: a lost breaker is re-seeded from a survivor's state and generation; a later seed of an older
    /// generation does not overwrite it, and the next operator command clears the mark.
    @Test func aLostBreakerIsReseededByTheLatestSurvivor() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("forced")
            let rules = SharedBreakerRules(scope: .shared, configuration: consecutive(3, breakDuration: .seconds(30)))
            let seeded = try await stores[0].seed(
                name,
                state: .isolated,
                generation: 7,
                remainingBreak: .zero,
                rules: rules,
                retention: SharedBreakerRetention()
            )
            #expect(seeded.state == .isolated && seeded.generation == 7 && seeded.changed)
            let older = try await stores[1].seed(
                name,
                state: .closed,
                generation: 5,
                remainingBreak: .zero,
                rules: rules,
                retention: SharedBreakerRetention()
            )
            #expect(older.state == .isolated && older.generation == 7 && !older.changed)
            let reset = try await stores[1].command(.reset, breaker: name)
            #expect(reset.generation > 7)
            let after = try await stores[0].seed(
                name,
                state: .isolated,
                generation: 9,
                remainingBreak: .zero,
                rules: rules,
                retention: SharedBreakerRetention()
            )
            #expect(after.state == .closed && !after.changed)
        }
    }
}
