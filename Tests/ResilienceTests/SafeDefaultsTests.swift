import Resilience
import Testing

/// An error that says nothing about itself, as most libraries' errors do.
private struct PlainError: Error {}

/// Issue 15's bugs of the defaults, each as its user met them. Every pipeline runs on a manual clock that
/// nobody advances: a call that waits for time (a retry sleeping out a break, a hint past the deadline) never
/// returns, and the time limit fails the test.
@Suite(.timeLimit(.minutes(1))) struct SafeDefaultsTests {
    private let clock = ManualClock()

    private func breaker(threshold: Int = 3) throws -> CircuitBreaker {
        try CircuitBreaker(
            name: "payments",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(threshold), breakDuration: .fixed(.seconds(10))),
            clock: clock
        )
    }

    private func retry(_ configuration: RetryConfiguration = .retries(2), events: Locked<[RetryEvent]> = Locked([])) throws -> RetryPolicy {
        try RetryPolicy(configuration: configuration, clock: clock) { event in events.mutate { $0.append(event) } }
    }

    /// "2 retries did nothing": a plain `Error` is a dependency failure, retried by the default retry and
    /// counted by the default breaker, the same way.
    @Test func aPlainErrorIsRetriedAndCountedTheSameWay() async throws {
        let breaker = try breaker(threshold: 3)
        let pipeline = PolicyPipeline(
            name: "payments",
            retry: try retry(RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero))),
            circuitBreaker: breaker
        )
        let calls = Locked(0)
        await #expect(throws: PlainError.self) {
            try await pipeline.execute { () async throws -> Int in
                calls.mutate { $0 += 1 }
                throw PlainError()
            }
        }
        #expect(calls.value == 3)
        #expect(breaker.state == .open)
        for code in ResilienceError.Code.allCases {
            #expect(CircuitBreakerConfiguration.defaultFailureKinds.contains(code) == code.isDependencyFailure, "\(code)")
        }
    }

    /// "10 calls took 40 s": the default retry does not retry an open breaker's rejection, which carries the
    /// rest of the break as its Retry-After; the call fails at once with the rejection.
    @Test func anOpenBreakersRejectionIsNotRetried() async throws {
        let breaker = try breaker(threshold: 1)
        let events = Locked<[RetryEvent]>([])
        let pipeline = PolicyPipeline(
            name: "payments",
            retry: try retry(RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero)), events: events),
            circuitBreaker: breaker
        )
        // The failure trips the breaker, so its retry is rejected, and the rejection ends the retries.
        await #expect(throws: ResilienceError.self) { try await pipeline.execute { () async throws -> Int in throw PlainError() } }
        #expect(breaker.state == .open)
        #expect(events.value.count == 1)
        events.mutate { $0.removeAll() }
        for _ in 0..<10 {
            await #expect(throws: ResilienceError.self) { try await pipeline.execute { 1 } }
        }
        #expect(events.value.isEmpty)
    }

    /// "In the README's order every rejection hung 1 s and came back as a timeout": with a total timeout
    /// around the retry, an open breaker's rejection comes back at once, as a rejection.
    @Test func aRejectionInsideATotalTimeoutComesBackAsARejection() async throws {
        let breaker = try breaker(threshold: 1)
        breaker.isolate()
        let pipeline = PolicyPipeline(
            name: "payments",
            totalTimeout: TimeoutPolicy(timeout: .seconds(1), clock: clock),
            retry: try retry(),
            circuitBreaker: breaker
        )
        do {
            _ = try await pipeline.execute { 1 }
            Issue.record("expected a rejection")
        } catch let error as ResilienceError {
            #expect(error.code == .breakerOpen)
        }
    }

    /// A Retry-After hint longer than what is left of the call's deadline ends the retries at once with the
    /// failure itself, instead of sleeping until the timeout cancels the call.
    @Test func aRetryAfterHintNeverSleepsPastTheDeadline() async throws {
        let calls = Locked(0)
        let pipeline = PolicyPipeline(name: "quotes", totalTimeout: TimeoutPolicy(timeout: .seconds(1), clock: clock), retry: try retry())
        do {
            _ = try await pipeline.execute { () async throws -> Int in
                calls.mutate { $0 += 1 }
                throw TestFailure(.rateLimited, retryAfter: .seconds(10))
            }
            Issue.record("expected the rate-limited failure")
        } catch let failure as TestFailure {
            #expect(failure.resilienceKind == .rateLimited)
        }
        #expect(calls.value == 1)
    }

    /// With no deadline at all, a hint longer than `maxRetryAfter` (30 s) ends the retries at once too.
    @Test func aRetryAfterHintPastTheLimitIsNotWaitedFor() async throws {
        let calls = Locked(0)
        let retry = try retry()
        await #expect(throws: TestFailure.self) {
            try await retry.execute { () async throws -> Int in
                calls.mutate { $0 += 1 }
                throw TestFailure(.unavailable, retryAfter: .seconds(31))
            }
        }
        #expect(calls.value == 1)
    }

    /// A hint that fits in what is left of the deadline is honoured: the retry waits for it and tries again.
    @Test func aHintThatFitsTheDeadlineIsHonoured() async throws {
        let events = Locked<[RetryEvent]>([])
        let pipeline = PolicyPipeline(
            name: "quotes",
            totalTimeout: TimeoutPolicy(timeout: .seconds(5), clock: clock),
            retry: try retry(RetryConfiguration(maxAttempts: 2, backoff: .constant(.zero)), events: events)
        )
        let calls = Locked(0)
        async let answer = pipeline.execute { () async throws -> Int in
            let call = calls.mutate {
                $0 += 1
                return $0
            }
            if call == 1 { throw TestFailure(.rateLimited, retryAfter: .seconds(2)) }
            return call
        }
        // The total timeout's timer and the retry's wait.
        await clock.waitForSleepers(count: 2)
        #expect(events.value.map(\.delay) == [.seconds(2)])
        clock.advance(by: .seconds(2))
        #expect(try await answer == 2)
    }

    /// The builder places each policy in the one order, whatever the order it was declared in: here the
    /// breaker is declared before the retry, and every retry still goes through it.
    @Test func theBuilderKeepsTheOneOrderWhateverTheDeclarationOrder() async throws {
        let breaker = try breaker(threshold: 2)
        let pipeline = ResiliencePipelineBuilder<Int>(name: "scrambled")
            .attemptTimeout(TimeoutPolicy(timeout: .seconds(1), clock: clock))
            .circuitBreaker(breaker)
            .retry(try retry(RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero))))
            .build()
        let calls = Locked(0)
        do {
            _ = try await pipeline.execute {
                calls.mutate { $0 += 1 }
                throw PlainError()
            }
            Issue.record("expected a failure")
        } catch let error as ResilienceError {
            // The second failure trips the breaker; the third attempt is its rejection, which ends the retries.
            #expect(error.code == .breakerOpen)
        }
        #expect(calls.value == 2)
        #expect(breaker.state == .open)
    }

    /// A dependency that hangs is a failure for the breaker: the attempt timeout runs inside it.
    @Test func aHangingAttemptCountsAsAFailure() async throws {
        let breaker = try breaker(threshold: 1)
        let pipeline = PolicyPipeline(name: "slow", circuitBreaker: breaker, attemptTimeout: TimeoutPolicy(timeout: .seconds(1), clock: clock))
        let call = Task {
            try await pipeline.execute {
                try await clock.sleep(for: .seconds(60))
                return 1
            }
        }
        // The attempt timeout's timer and the hanging call.
        await clock.waitForSleepers(count: 2)
        clock.advance(by: .seconds(1))
        await #expect(throws: ResilienceError.self) { try await call.value }
        #expect(breaker.state == .open)
    }
}
