import Resilience
import Testing

/// Hedging inside a pipeline: each attempt goes through the policies below it.
@Suite struct HedgingPipelineTests {
    @Test func aPipelineHedgesEachAttemptThroughTheBreakerAndKeepsTheTotalDeadline() async throws {
        let hedging = try HedgingPolicy(name: "pipeline-hedging", configuration: HedgingConfiguration(delay: .allAtOnce, budget: nil))
        let breaker = try CircuitBreaker(name: "pipeline-breaker")
        let pipeline = ResiliencePipelineBuilder<Int>(name: "hedged")
            .totalTimeout(TimeoutPolicy(timeout: .seconds(60), enforcement: .deadline))
            .hedging(hedging)
            .circuitBreaker(breaker)
            .build()
        #expect(pipeline.count == 3)
        #expect(pipeline.hedging?.name == "pipeline-hedging")
        let gate = AttemptGate()
        let invocations = Locked(0)
        let deadlines = Locked<[Bool]>([])
        async let result = pipeline.execute {
            let attempt = invocations.mutate {
                $0 += 1
                return $0
            }
            // Every attempt runs under the total timeout's deadline, which child tasks inherit.
            deadlines.mutate { $0.append(ResilienceDeadline.remaining != nil) }
            return try await gate.run(attempt)
        }
        await gate.waitForStarted(2)
        gate.succeed(2, with: 42)
        #expect(try await result == 42)
        await gate.waitForCancelled([1])
        #expect(deadlines.value == [true, true])
        // Both attempts went through the breaker: one success, and a cancellation, which it counts as no outcome.
        #expect(breaker.stats.totals.successes == 1)
        #expect(breaker.stats.totals.failures == 0)
    }
}
