import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// Each `SharedBreakerStore` below has its own `RedisClient`: they stand for separate instances.
@Suite struct SharedBreakerStoreTests {
    private func consecutive(_ count: Int, breakDuration: Duration = .seconds(30)) -> CircuitBreakerConfiguration {
        CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(count), breakDuration: .fixed(breakDuration))
    }

    @Test func pooledFailuresOfTwoInstancesTripOnceForBoth() async throws {
        try await withInstances(2) { server, stores in
            let name = try BreakerName("payments")
            let subscriber = try RedisSubscriber(configuration: RedisConfiguration(url: server.url))
            defer { subscriber.shutdown() }
            try await subscriber.subscribe(channels: [stores[0].eventsChannel])

            let harness = StoreHarness(scope: .shared, configuration: consecutive(4))
            var trips = 0
            for round in 0..<2 {
                for store in stores {
                    let snapshot = try await harness.record(store, name, instance: "i\(round)", failures: 1)
                    if snapshot.changed { trips += 1 }
                }
            }
            #expect(trips == 1)
            let seenByA = try await stores[0].read(name)
            let seenByB = try await stores[1].read(name)
            #expect(seenByA.state == .open)
            #expect(seenByB.state == .open)
            // One transition: its generation is Redis's clock at the trip (a hybrid logical clock), seen by both.
            #expect(seenByA.generation > 0)
            #expect(seenByB.generation == seenByA.generation)
            let fingerprint = try await stores[0].client.send("HGET", "bulwark:{payments}:state", "config").string
            #expect(fingerprint?.count == 16)

            var events = subscriber.events.makeAsyncIterator()
            #expect(
                await events.next()
                    == .message(channel: "bulwark:breaker-events", payload: Array("payments \(seenByA.generation) open 30000 failure-threshold".utf8))
            )
        }
    }

    @Test func successResetsThePooledConsecutiveCount() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("search")
            let harness = StoreHarness(scope: .shared, configuration: consecutive(3))
            _ = try await harness.record(stores[0], name, instance: "a", failures: 2)
            _ = try await harness.record(stores[1], name, instance: "b", successes: 1)
            let after = try await harness.record(stores[0], name, instance: "a", failures: 2)
            #expect(after.state == .closed)
            let tripped = try await harness.record(stores[1], name, instance: "b", failures: 1)
            #expect(tripped.state == .open)
        }
    }

    @Test func pooledRatioNeedsMinimumThroughput() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("ratio")
            let configuration = CircuitBreakerConfiguration(
                failureThreshold: .failureRatio(0.5),
                window: .time(.seconds(10)),
                minimumThroughput: 10
            )
            let harness = StoreHarness(scope: .shared, configuration: configuration)
            // A sees only successes, B only failures: pooled, half the calls failed.
            _ = try await harness.record(stores[0], name, instance: "a", successes: 5)
            let early = try await harness.record(stores[1], name, instance: "b", failures: 4)
            #expect(early.state == .closed)  // 9 calls: under the minimum throughput
            let tripped = try await harness.record(stores[1], name, instance: "b", failures: 1)
            #expect(tripped.state == .open)
            #expect(tripped.changed)
        }
    }

    @Test func quorumIgnoresOneSickInstance() async throws {
        try await withInstances(3) { _, stores in
            let name = try BreakerName("inventory")
            let harness = StoreHarness(scope: .quorum(instances: 2), configuration: consecutive(1))
            let lonely = try await harness.record(stores[0], name, instance: "a", failures: 5, localTrips: true)
            #expect(lonely.state == .closed)
            let healthy = try await harness.record(stores[1], name, instance: "b", successes: 50)
            #expect(healthy.state == .closed)
            let second = try await harness.record(stores[2], name, instance: "c", failures: 5, localTrips: true)
            #expect(second.state == .open)
            #expect(second.changed)
        }
    }

    @Test func localScopeOnlyReports() async throws {
        try await withInstances(1) { _, stores in
            let name = try BreakerName("local-one")
            let harness = StoreHarness(scope: .local, configuration: consecutive(1))
            let snapshot = try await harness.record(stores[0], name, instance: "a", failures: 10, localTrips: true, localState: .open)
            #expect(snapshot.state == .closed)
            let reports = try await stores[0].instanceReports(name)
            #expect(reports["a"]?.localState == .open)
            #expect(reports["a"]?.failures == 10)
            #expect(reports["a"]?.totals == CircuitBreakerOutcomeCounts(failures: 10, rejections: 3))
        }
    }

    @Test func halfOpenWaitsForRedisTimeAndLimitsProbesFleetWide() async throws {
        try await withInstances(3) { _, stores in
            let name = try BreakerName("probe")
            var configuration = consecutive(1, breakDuration: .seconds(2))
            configuration.halfOpen = .init(permittedCalls: 2, successThreshold: 2, maximumWait: .seconds(10))
            let harness = StoreHarness(scope: .shared, configuration: configuration)
            let opened = try await harness.record(stores[0], name, instance: "a", failures: 1)
            #expect(opened.state == .open)

            // Too early by Redis's clock: refused whoever asks.
            let early = try await harness.propose(stores[1], name, to: .halfOpen, reason: .breakElapsed, generation: opened.generation)
            #expect(early.state == .open)
            #expect(!early.changed)
            try await Task.sleep(for: .milliseconds(2_100))
            let halfOpen = try await harness.propose(stores[1], name, to: .halfOpen, reason: .breakElapsed, generation: opened.generation)
            #expect(halfOpen.state == .halfOpen)
            // A second instance proposing the same transition loses: exactly one wins.
            let late = try await harness.propose(stores[2], name, to: .halfOpen, reason: .breakElapsed, generation: opened.generation)
            #expect(!late.changed)

            var claimed = 0
            for store in stores {
                if try await store.claimProbe(name, generation: halfOpen.generation).claimedProbe { claimed += 1 }
            }
            #expect(claimed == 2)

            let probe = CircuitBreakerProbeOutcomes(generation: halfOpen.generation, successes: 1)
            _ = try await harness.record(stores[0], name, instance: "a", successes: 1, probes: probe)
            let closed = try await harness.record(stores[1], name, instance: "b", successes: 1, probes: probe)
            #expect(closed.state == .closed)
            #expect(closed.generation > halfOpen.generation)
        }
    }

    @Test func failedProbeReopens() async throws {
        try await withInstances(1) { _, stores in
            let name = try BreakerName("flaky")
            let harness = StoreHarness(scope: .shared, configuration: consecutive(1, breakDuration: .milliseconds(50)))
            let opened = try await harness.record(stores[0], name, instance: "a", failures: 1)
            try await Task.sleep(for: .milliseconds(80))
            let halfOpen = try await harness.propose(stores[0], name, to: .halfOpen, reason: .breakElapsed, generation: opened.generation)
            #expect(halfOpen.state == .halfOpen)
            let reopened = try await harness.record(
                stores[0],
                name,
                instance: "a",
                failures: 1,
                probes: CircuitBreakerProbeOutcomes(generation: halfOpen.generation, failures: 1)
            )
            #expect(reopened.state == .open)
            #expect(reopened.consecutiveOpens == 2)
        }
    }

    @Test func operatorCommandsApplyWhateverTheState() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("billing")
            let isolated = try await stores[0].command(.isolate, breaker: name)
            #expect(isolated.state == .isolated)
            #expect(try await stores[1].read(name).state == .isolated)
            let reset = try await stores[1].command(.reset, breaker: name)
            #expect(reset.state == .closed)
            #expect(reset.generation > isolated.generation)
            #expect(try await stores[0].command(.disable, breaker: name).state == .disabled)
        }
    }

    @Test func skewedInstanceClocksAgreeOnTheBreak() async throws {
        try await withInstances(2) { _, stores in
            let name = try BreakerName("skew")
            let harness = StoreHarness(scope: .shared, configuration: consecutive(1, breakDuration: .seconds(20)))
            _ = try await harness.record(stores[0], name, instance: "a", failures: 1)
            // Two instances whose clocks are ten minutes apart read the same break.
            let early = ManualClock(start: ResilienceInstant(nanoseconds: 1_000_000_000))
            let late = ManualClock(start: ResilienceInstant(nanoseconds: 601_000_000_000))
            let updateA = try await stores[0].read(name).update(on: early)
            let updateB = try await stores[1].read(name).update(on: late)
            let remainingA = try #require(updateA.openUntil) - early.now
            let remainingB = try #require(updateB.openUntil) - late.now
            #expect(remainingA > .seconds(19) && remainingA <= .seconds(20))
            #expect(remainingB > .seconds(19) && remainingB <= .seconds(20))
            #expect(updateA.generation == updateB.generation)
        }
    }

    @Test func rejectsMalformedNames() {
        for bad in ["", "has space", "brace{", "colon:name", String(repeating: "x", count: 65), "slash/name"] {
            #expect(throws: SharedStateError.self) { try BreakerName(bad) }
        }
        #expect(throws: Never.self) { try BreakerName("Payments_v2.eu-west") }
    }
}
