import Resilience
import Testing

/// The three delay modes, with attempts that end only when the test says and a clock that moves only when told.
@Suite struct HedgingDelayModeTests {
    @Test func aPositiveDelayHedgesASlowPrimaryAndTheFirstValueWins() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let metrics = RecordingMetrics()
        let hedging = try hedgingPolicy(
            HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.seconds(1)), budget: nil),
            clock: clock,
            events: events,
            telemetry: ResilienceTelemetry(metricsFactory: metrics)
        )
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        await gate.waitForStarted(1)
        // The policy waits out its delay on the clock: only the primary runs until the clock moves.
        await clock.waitForSleepers(count: 1)
        #expect(gate.started == [1])
        clock.advance(by: .seconds(1))
        await gate.waitForStarted(2)
        gate.succeed(2, with: 20)
        #expect(try await result == 20)
        // The primary, still running when the hedge won, was cancelled and saw it.
        await gate.waitForCancelled([1])
        #expect(summary(events.value) == ["launched@2", "won@2"])
        #expect(events.value.first?.at == ResilienceInstant(nanoseconds: 1_000_000_000))
        #expect(metrics.values.value["bulwark_hedging_attempts_total,hedging=test"] == 1)
        #expect(metrics.values.value["bulwark_hedging_wins_total,hedging=test"] == 1)
    }

    @Test func aPrimaryThatAnswersWithinTheDelayIsNotHedged() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let hedging = try hedgingPolicy(HedgingConfiguration(delay: .fixed(.seconds(1)), budget: nil), clock: clock, events: events)
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        await gate.waitForStarted(1)
        await clock.waitForSleepers(count: 1)
        gate.succeed(1, with: 10)
        #expect(try await result == 10)
        // The call has returned, so its delay was cancelled and nothing more can start.
        #expect(gate.started == [1])
        #expect(events.value.isEmpty)
        #expect(clock.sleeperCount == 0)
    }

    @Test func aZeroDelaySendsEveryAttemptAtOnce() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 2, delay: .allAtOnce, budget: nil), clock: clock, events: events)
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        // All three start without the clock moving.
        await gate.waitForStarted(3)
        #expect(Set(gate.started) == [1, 2, 3])
        gate.succeed(3, with: 30)
        #expect(try await result == 30)
        await gate.waitForCancelled([1, 2])
        #expect(summary(events.value) == ["launched@2", "launched@3", "won@3"])
        #expect(clock.now == ResilienceInstant(nanoseconds: 0))
    }

    @Test func aNegativeDelayLaunchesTheNextAttemptOnlyAfterAFailure() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 2, delay: .sequential, budget: nil), clock: clock, events: events)
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        await gate.waitForStarted(1)
        gate.fail(1, with: TestFailure(.unavailable))
        await gate.waitForStarted(2)
        gate.succeed(2, with: 20)
        #expect(try await result == 20)
        // Attempt 3 was never launched: attempt 2 did not fail, and no delay elapses in this mode.
        #expect(gate.started == [1, 2])
        #expect(gate.cancelled.isEmpty)
        #expect(summary(events.value) == ["launched@2", "won@2"])
        #expect(clock.sleeperCount == 0)
    }

    @Test func aHedgedFailureLaunchesTheNextAttemptWithoutWaitingForTheDelay() async throws {
        let clock = ManualClock()
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.seconds(10)), budget: nil), clock: clock)
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        await gate.waitForStarted(1)
        gate.fail(1, with: TestFailure(.connection))
        await gate.waitForStarted(2)
        gate.succeed(2)
        #expect(try await result == 2)
        #expect(clock.now == ResilienceInstant(nanoseconds: 0))
    }

    @Test func theOperationLearnsItsAttemptNumberAndTheDelayItsLatencies() async throws {
        let clock = ManualClock()
        let learned = LearningDelay(delay: .seconds(1))
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 1, delay: HedgingDelay(learned), budget: nil), clock: clock)
        let gate = AttemptGate()
        async let result = hedging.execute { attempt in try await gate.run(attempt) }
        await gate.waitForStarted(1)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await gate.waitForStarted(2)
        clock.advance(by: .milliseconds(300))
        gate.succeed(2)
        #expect(try await result == 2)
        #expect(learned.asked.value == [2])
        // The hedge took 300 ms; the primary had run 1.3 s when it lost (a lower bound of its latency).
        #expect(learned.latencies.value.sorted() == [.milliseconds(300), .milliseconds(1_300)])
    }
}

/// A constant delay that remembers what the policy asked and told it.
private struct LearningDelay: HedgingDelayProvider {
    let delay: Duration
    let asked = Locked<[Int]>([])
    let latencies = Locked<[Duration]>([])

    func hedgingDelay(beforeAttempt attempt: Int) -> Duration {
        asked.mutate { $0.append(attempt) }
        return delay
    }

    func recordLatency(_ latency: Duration) {
        latencies.mutate { $0.append(latency) }
    }
}
