import Resilience
import Testing

/// What a hedged call ends with when attempts fail, when the caller gives up, and when the budget is empty.
@Suite struct HedgingOutcomeTests {
    @Test func whenEveryAttemptFailsTheCallThrowsThePrimarysFailure() async throws {
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 2, delay: .allAtOnce, budget: nil))
        let gate = AttemptGate()
        let call = Task { try await hedging.execute { attempt in try await gate.run(attempt) } }
        await gate.waitForStarted(3)
        // The primary fails between the two hedges: neither the first nor the last failure is the answer.
        gate.fail(2, with: TestFailure(.unavailable))
        gate.fail(1, with: TestFailure(.serverError))
        gate.fail(3, with: TestFailure(.timeout))
        let error = await #expect(throws: TestFailure.self) { try await call.value }
        #expect(error?.resilienceKind == .serverError)
    }

    @Test func aFailureThatIsNotHedgedLaunchesNoHedge() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let hedging = try hedgingPolicy(
            HedgingConfiguration(maxHedgedAttempts: 3, delay: .fixed(.seconds(1)), budget: nil),
            clock: clock,
            events: events
        )
        let gate = AttemptGate()
        let call = Task { try await hedging.execute { attempt in try await gate.run(attempt) } }
        await gate.waitForStarted(1)
        await clock.waitForSleepers(count: 1)
        gate.fail(1, with: TestFailure(.notFound))
        let error = await #expect(throws: TestFailure.self) { try await call.value }
        #expect(error?.resilienceKind == .notFound)
        #expect(gate.started == [1])
        #expect(events.value.isEmpty)
    }

    @Test func aHedgeThatIsRejectedLeavesThePrimaryRunning() async throws {
        let clock = ManualClock()
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.seconds(1)), budget: nil), clock: clock)
        let gate = AttemptGate()
        let call = Task { try await hedging.execute { attempt in try await gate.run(attempt) } }
        await gate.waitForStarted(1)
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await gate.waitForStarted(2)
        // An open breaker turns the hedge away; the primary may still answer, and does.
        gate.fail(2, with: ResilienceError(.breakerOpen))
        // Attempt 2 has left its operation before attempt 1 answers, so the policy meets the rejection first;
        // in any order, the primary's value must win and nothing be cancelled.
        await gate.waitForEnded([2])
        gate.succeed(1, with: 10)
        #expect(try await call.value == 10)
        #expect(gate.cancelled.isEmpty)
    }

    @Test func cancellingTheCallerCancelsEveryAttempt() async throws {
        let hedging = try hedgingPolicy(HedgingConfiguration(maxHedgedAttempts: 2, delay: .allAtOnce, budget: nil))
        let gate = AttemptGate()
        let call = Task { try await hedging.execute { attempt in try await gate.run(attempt) } }
        await gate.waitForStarted(3)
        call.cancel()
        await gate.waitForCancelled([1, 2, 3])
        await #expect(throws: CancellationError.self) { try await call.value }
    }

    @Test func cancellingTheCallerDuringTheDelayLaunchesNoHedge() async throws {
        let clock = ManualClock()
        let events = Locked<[HedgingEvent]>([])
        let hedging = try hedgingPolicy(
            HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.seconds(1)), budget: nil),
            clock: clock,
            events: events
        )
        let gate = AttemptGate()
        let call = Task { try await hedging.execute { attempt in try await gate.run(attempt) } }
        await gate.waitForStarted(1)
        await clock.waitForSleepers(count: 1)
        call.cancel()
        await #expect(throws: CancellationError.self) { try await call.value }
        #expect(gate.started == [1])
        #expect(gate.cancelled == [1])
        #expect(events.value.isEmpty)
    }

    @Test func anEmptyBudgetStopsHedges() async throws {
        let events = Locked<[HedgingEvent]>([])
        let metrics = RecordingMetrics()
        // One token, and calls add none: the first call may hedge, the second may not.
        let budget = HedgingBudget(ratio: 0, capacity: 1)
        let hedging = try hedgingPolicy(
            HedgingConfiguration(maxHedgedAttempts: 1, delay: .allAtOnce, budget: budget),
            events: events,
            telemetry: ResilienceTelemetry(metricsFactory: metrics)
        )
        let first = AttemptGate()
        async let firstResult = hedging.execute { attempt in try await first.run(attempt) }
        await first.waitForStarted(2)
        first.succeed(2)
        #expect(try await firstResult == 2)
        #expect(budget.available == 0)

        let second = AttemptGate()
        let secondCall = Task { try await hedging.execute { attempt in try await second.run(attempt) } }
        await second.waitForStarted(1)
        second.fail(1, with: TestFailure(.unavailable))
        // Even a failure that would be hedged launches nothing: the primary's failure is the answer.
        let error = await #expect(throws: TestFailure.self) { try await secondCall.value }
        #expect(error?.resilienceKind == .unavailable)
        #expect(second.started == [1])
        #expect(summary(events.value) == ["launched@2", "won@2", "budgetExhausted@2"])
        #expect(metrics.values.value["bulwark_hedging_budget_exhausted_total,hedging=test"] == 1)
    }
}
