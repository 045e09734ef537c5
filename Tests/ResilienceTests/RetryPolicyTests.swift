import Resilience
import Testing

@Suite struct RetryPolicyTests {
    private func policy(
        _ configuration: RetryConfiguration,
        clock: ManualClock,
        events: Locked<[RetryEvent]> = Locked([])
    ) throws -> RetryPolicy {
        try RetryPolicy(name: "test", configuration: configuration, clock: clock) { event in events.mutate { $0.append(event) } }
    }

    @Test func retriesTransientFailuresWithBackoffAndEmitsEvents() async throws {
        let clock = ManualClock()
        let events = Locked<[RetryEvent]>([])
        let retry = try policy(
            RetryConfiguration(maxAttempts: 3, backoff: .exponential(initial: .seconds(1), jitter: .none)),
            clock: clock,
            events: events
        )
        let attempts = Locked(0)
        async let result = retry.execute {
            let attempt = attempts.mutate {
                $0 += 1; return $0
            }
            if attempt < 3 { throw TestFailure(.unavailable) }
            return attempt
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        await clock.waitForSleepers(count: 1)
        #expect(clock.now == ResilienceInstant(nanoseconds: 1_000_000_000))
        clock.advance(by: .seconds(2))
        #expect(try await result == 3)
        #expect(events.value.map(\.attempt) == [1, 2])
        #expect(events.value.map(\.delay) == [.seconds(1), .seconds(2)])
        let everyRetryIsAnUnavailableOfTest = events.value.allSatisfy { $0.kind == .unavailable && $0.policy == "test" }
        #expect(everyRetryIsAnUnavailableOfTest, "\(events.value)")
    }

    @Test func doesNotRetryPermanentFailures() async throws {
        let retry = try policy(RetryConfiguration(), clock: ManualClock())
        let attempts = Locked(0)
        await #expect(throws: TestFailure.self) {
            try await retry.execute {
                attempts.mutate { $0 += 1 }
                throw TestFailure(.badRequest)
            }
        }
        #expect(attempts.value == 1)
    }

    @Test func stopsAfterMaxAttemptsWithTheLastError() async throws {
        let clock = ManualClock()
        let retry = try policy(RetryConfiguration(maxAttempts: 2, backoff: .constant(.seconds(1))), clock: clock)
        let attempts = Locked(0)
        async let outcome: Void = retry.execute {
            let attempt = attempts.mutate {
                $0 += 1; return $0
            }
            throw TestFailure(attempt == 1 ? .timeout : .connection)
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        do {
            try await outcome
            Issue.record("expected a failure")
        } catch let error as TestFailure {
            #expect(error.resilienceKind == .connection)
        }
        #expect(attempts.value == 2)
    }

    @Test func honoursRetryAfterOverTheBackoff() async throws {
        let clock = ManualClock()
        let events = Locked<[RetryEvent]>([])
        let retry = try policy(RetryConfiguration(backoff: .constant(.milliseconds(10))), clock: clock, events: events)
        let attempts = Locked(0)
        async let result = retry.execute {
            if attempts.mutate({
                $0 += 1; return $0
            }) == 1 {
                throw TestFailure(.rateLimited, retryAfter: .seconds(30))
            }
            return "ok"
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(29))
        #expect(clock.sleeperCount == 1)
        clock.advance(by: .seconds(1))
        #expect(try await result == "ok")
        #expect(events.value.map(\.delay) == [.seconds(30)])
    }

    @Test func maxElapsedStopsARetryThatWouldWaitPastIt() async throws {
        let retry = try policy(
            RetryConfiguration(maxAttempts: 10, backoff: .constant(.seconds(5)), maxElapsed: .seconds(3)),
            clock: ManualClock()
        )
        let attempts = Locked(0)
        await #expect(throws: TestFailure.self) {
            try await retry.execute {
                attempts.mutate { $0 += 1 }
                throw TestFailure(.timeout)
            }
        }
        #expect(attempts.value == 1)
    }

    @Test func retriesResultsThatThePredicateRejects() async throws {
        let clock = ManualClock()
        let retry = try policy(RetryConfiguration(maxAttempts: 3, backoff: .constant(.seconds(1))), clock: clock)
        let attempts = Locked(0)
        async let result = retry.execute(retryingResult: { $0 < 2 }) {
            attempts.mutate {
                $0 += 1; return $0
            }
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        #expect(try await result == 2)
    }

    @Test func customPredicateDecidesWhatIsRetried() throws {
        let retry = try policy(
            RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero), shouldRetry: { ($0 as? TestFailure)?.resilienceKind == .conflict }),
            clock: ManualClock()
        )
        let attempts = Locked(0)
        let value = try retry.executeSync {
            if attempts.mutate({
                $0 += 1; return $0
            }) < 3 {
                throw TestFailure(.conflict)
            }
            return 7
        }
        #expect(value == 7)
        #expect(attempts.value == 3)
    }

    @Test func synchronousRetriesNeverWait() throws {
        let retry = try policy(RetryConfiguration(maxAttempts: 5, backoff: .constant(.seconds(1))), clock: ManualClock())
        let attempts = Locked(0)
        #expect(throws: TestFailure.self) {
            try retry.executeSync {
                attempts.mutate { $0 += 1 }
                throw TestFailure(.timeout)
            }
        }
        #expect(attempts.value == 1)
    }

    @Test func budgetStopsRetryStorms() throws {
        let clock = ManualClock()
        let budget = RetryBudget(ratio: 0.1, minimumRetries: 2, window: .seconds(10), clock: clock)
        let retry = try policy(RetryConfiguration(maxAttempts: 2, backoff: .constant(.zero), budget: budget), clock: clock)
        let attempts = Locked(0)
        for _ in 0..<10 {
            _ = try? retry.executeSync {
                attempts.mutate { $0 += 1 }
                throw TestFailure(.unavailable)
            }
        }
        // 10 calls, 10 % of them is 1, the minimum is 2: two retries in all.
        #expect(attempts.value == 12)
        clock.advance(by: .seconds(11))
        #expect(budget.tryWithdraw())
    }

    @Test func budgetAllowsTheRatioOfRecentCalls() {
        let clock = ManualClock()
        let budget = RetryBudget(ratio: 0.2, minimumRetries: 0, window: .seconds(10), clock: clock)
        for _ in 0..<100 { budget.recordCall() }
        let allowed = (0..<50).filter { _ in budget.tryWithdraw() }.count
        #expect(allowed == 20)
    }

    @Test func cancellationIsNotRetried() async throws {
        let retry = try policy(RetryConfiguration(), clock: ManualClock())
        let attempts = Locked(0)
        await #expect(throws: CancellationError.self) {
            try await retry.execute {
                attempts.mutate { $0 += 1 }
                throw CancellationError()
            }
        }
        #expect(attempts.value == 1)
    }

    @Test func invalidConfigurationIsRejected() {
        #expect(throws: ResilienceError.self) { try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 0)) }
    }
}
