import Resilience
import Synchronization
import Testing

/// A failure the retry retries.
private struct Flaky: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// What a switched-off policy does: it passes the call straight through.
@Suite struct PolicySwitchesTests {
    @Test func eachKindHasItsOwnBitAndName() {
        #expect(Set(PolicyKind.allCases.map(\.bit)).count == PolicyKind.allCases.count)
        #expect(PolicyKind.kinds(in: PolicyKind.allMask) == PolicyKind.allCases)
        #expect(PolicyKind(rawValue: "rate-limiter") == .rateLimiter)
        let switches = PolicySwitches(off: [.retry])
        switches.switchOff([.breaker])
        #expect(switches.off == [.retry, .breaker])
        switches.switchOn([.retry])
        #expect(switches.off == [.breaker])
        #expect(switches.replace(offMask: 0xFF) == PolicyKind.breaker.bit)
        #expect(switches.offMask == PolicyKind.allMask)
    }

    @Test func switchedOffPoliciesPassTheCallThrough() async throws {
        let switches = PolicySwitches()
        let breaker = try CircuitBreaker(name: "switched", configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1)))
        breaker.isolate()
        let pipeline = PolicyPipeline(
            name: "switched",
            rateLimiter: TokenBucketRateLimiter(name: "switched", capacity: 1, refillRate: 0.001),
            bulkhead: try Bulkhead(name: "switched", configuration: BulkheadConfiguration(maxConcurrentCalls: 1, maxQueuedCalls: 0)),
            retry: try RetryPolicy(configuration: RetryConfiguration(maxAttempts: 3, backoff: .constant(.milliseconds(1)))),
            circuitBreaker: breaker,
            attemptTimeout: TimeoutPolicy(timeout: .milliseconds(1)),
            switches: switches
        )
        // Everything on: the isolated breaker refuses.
        await #expect(throws: ResilienceError.self) { try await pipeline.execute { 1 } }
        switches.switchOff(PolicyKind.allCases)
        let attempts = Atomic<Int>(0)
        // No rate limit, no bulkhead, no breaker, no deadline, one attempt.
        for _ in 0..<3 {
            let value = try await pipeline.execute { () async throws -> Int in
                try await Task.sleep(for: .milliseconds(5))
                return 7
            }
            #expect(value == 7)
        }
        _ = try? await pipeline.execute { () async throws -> Int in
            attempts.add(1, ordering: .relaxed)
            throw Flaky()
        }
        #expect(attempts.load(ordering: .relaxed) == 1)
        switches.switchOn([.retry])
        _ = try? await pipeline.execute { () async throws -> Int in
            attempts.add(1, ordering: .relaxed)
            throw Flaky()
        }
        #expect(attempts.load(ordering: .relaxed) == 4)
    }
}
