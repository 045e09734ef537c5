import Resilience
import Testing

/// A call that is cancelled says nothing about the dependency, whatever error it throws once cancelled: a hedge
/// that lost the race, or a caller that left, must not count as a failure.
@Suite struct CircuitBreakerCancellationTests {
    @Test func aCancelledCallThatThrowsItsOwnErrorIsNotCountedAsAFailure() async throws {
        let breaker = try CircuitBreaker(
            name: "cancelled-calls",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1), breakDuration: .fixed(.seconds(30)))
        )
        let started = Locked(false)
        let call = Task {
            try await breaker.execute { () async throws -> Int in
                started.mutate { $0 = true }
                while !Task.isCancelled { await Task.yield() }
                // What a client library throws when its request is cancelled: not a CancellationError.
                throw TestFailure(.unavailable)
            }
        }
        while !started.value { await Task.yield() }
        call.cancel()
        let outcome = await call.result
        let threw = (try? outcome.get()) == nil
        #expect(threw)
        #expect(breaker.state == .closed)
        #expect(breaker.stats.totals.failures == 0)
    }
}
