import Resilience
import Testing

@Suite struct ResiliencePipelineTests {
    private let clock = ManualClock()

    private func breaker(threshold: Int = 2) throws -> CircuitBreaker {
        try CircuitBreaker(
            name: "pipeline-breaker",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(threshold), breakDuration: .fixed(.seconds(30))),
            clock: clock
        )
    }

    @Test func runsPoliciesInTheOneOrder() async throws {
        let breaker = try breaker()
        let pipeline = ResiliencePipelineBuilder<String>(name: "orders")
            .fallback(FallbackPolicy(kinds: [.breakerOpen], value: "fallback"))
            .retry(try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero)), clock: clock))
            .circuitBreaker(breaker)
            .attemptTimeout(TimeoutPolicy(timeout: .seconds(5), clock: clock))
            .bulkhead(try Bulkhead(name: "orders", clock: clock))
            .build()
        #expect(pipeline.name == "orders")
        #expect(pipeline.count == 5)
        let calls = Locked(0)
        // Each retry goes through the breaker: the second failure trips it, the third attempt is
        // rejected, and the fallback answers the rejection.
        let answer = try await pipeline.execute {
            calls.mutate { $0 += 1 }
            throw TestFailure(.unavailable)
        }
        #expect(answer == "fallback")
        #expect(calls.value == 2)
        #expect(breaker.state == .open)
    }

    @Test func returnsTheValueOnTheHappyPath() async throws {
        let pipeline = ResiliencePipelineBuilder<Int>(name: "happy")
            .retry(try RetryPolicy(clock: clock))
            .circuitBreaker(try breaker())
            .rateLimiter(TokenBucketRateLimiter(name: "happy", capacity: 10, refillRate: 1, clock: clock))
            .build()
        let value = try await pipeline.execute { 7 }
        #expect(value == 7)
    }

    @Test func retriesResultsThroughThePipeline() async throws {
        let pipeline = ResiliencePipelineBuilder<Int>(name: "results")
            .retry(
                try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 4, backoff: .constant(.zero)), clock: clock),
                retryingResult: { $0 < 3 }
            )
            .build()
        let calls = Locked(0)
        let value = try await pipeline.execute {
            calls.mutate {
                $0 += 1; return $0
            }
        }
        #expect(value == 3)
    }

    @Test func theSynchronousPathRunsTheSamePolicies() throws {
        let breaker = try breaker(threshold: 1)
        let limiter = SlidingWindowRateLimiter(name: "sync", limit: 2, window: .seconds(1), clock: clock)
        let pipeline = ResiliencePipelineBuilder<Int>(name: "sync")
            .fallback(FallbackPolicy(kinds: [.rateLimited], value: -1))
            .rateLimiter(limiter)
            .circuitBreaker(breaker)
            .attemptTimeout(TimeoutPolicy(timeout: .seconds(1), clock: clock))
            .bulkhead(try Bulkhead(name: "sync", clock: clock))
            .retry(try RetryPolicy(clock: clock))
            .build()
        let value = try pipeline.executeSync { 1 }
        #expect(value == 1)
        #expect(throws: TestFailure.self) { try pipeline.executeSync { throw TestFailure(.serverError) } }
        #expect(breaker.state == .open)
        let whileRateLimited = try pipeline.executeSync { 1 }
        #expect(whileRateLimited == -1)
    }

    @Test func rejectionsAreTypedErrors() async throws {
        let breaker = try breaker()
        breaker.isolate()
        let pipeline = ResiliencePipelineBuilder<Int>(name: "typed").circuitBreaker(breaker).build()
        do {
            _ = try await pipeline.execute { 1 }
            Issue.record("expected a rejection")
        } catch let error as ResilienceError {
            #expect(error.code == .breakerOpen)
            #expect(!error.isDependencyFailure)
        }
    }

    @Test func anAdaptiveLimitersRefusalIsAnsweredByTheFallbackAndNeitherRetriedNorCounted() async throws {
        let breaker = try breaker(threshold: 1)
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "search",
            configuration: AdaptiveConcurrencyConfiguration(initialLimit: 1, minLimit: 1, maxLimit: 1),
            clock: clock
        )
        let pipeline = ResiliencePipelineBuilder<Int>(name: "search")
            .fallback(FallbackPolicy(kinds: [.bulkheadFull], value: -1))
            .adaptiveConcurrency(limiter)
            .retry(try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 3, backoff: .constant(.zero)), clock: clock))
            .circuitBreaker(breaker)
            .build()
        #expect(pipeline.count == 4)
        // The one slot is taken: the pipeline's call is refused before the retry and the breaker see it.
        let slotTaken = limiter.tryAcquire()
        #expect(slotTaken)
        let calls = Locked(0)
        let refused = try await pipeline.execute {
            calls.mutate { $0 += 1 }
            return 1
        }
        #expect(refused == -1)
        #expect(calls.value == 0)
        #expect(breaker.state == .closed)
        limiter.release(latency: nil)
        let admitted = try await pipeline.execute { 2 }
        #expect(admitted == 2)
        #expect(limiter.activeCalls == 0)
    }
}
