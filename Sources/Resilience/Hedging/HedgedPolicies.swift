/// The policies of a ``ResiliencePipeline`` that hedges, split around the ``HedgingPolicy``: each attempt goes
/// through the circuit breaker and the attempt timeout, and the rest runs once around the hedged call.
///
/// **fallback → rate limiter → bulkhead → total timeout → retry → hedging → circuit breaker → attempt timeout →
/// operation**
@usableFromInline
struct HedgedPolicies: Sendable {
    /// Rate limiter, bulkhead, total timeout and retry: once per call.
    let outer: PolicyPipeline
    /// The hedging.
    let hedging: HedgingPolicy
    /// Adaptive concurrency limiter, circuit breaker and attempt timeout: once per attempt.
    let attempt: PolicyPipeline

    init(hedging: HedgingPolicy, around policies: PolicyPipeline) {
        outer = PolicyPipeline(
            name: policies.name,
            rateLimiter: policies.rateLimiter,
            bulkhead: policies.bulkhead,
            totalTimeout: policies.totalTimeout,
            retry: policies.retry,
            telemetry: ResilienceTelemetry(tracer: policies.tracer),
            switches: policies.switches
        )
        self.hedging = hedging
        attempt = PolicyPipeline(
            name: policies.name,
            adaptiveConcurrency: policies.adaptiveConcurrency,
            circuitBreaker: policies.circuitBreaker,
            attemptTimeout: policies.attemptTimeout,
            // One span per call, around the hedging: the attempts add their events to it.
            telemetry: ResilienceTelemetry(tracer: nil),
            switches: policies.switches
        )
    }

    /// Runs `operation` through the policies with every attempt hedged.
    @usableFromInline
    func execute<T: Sendable>(retryingResult shouldRetryResult: (@Sendable (T) -> Bool)?, _ operation: @Sendable () async throws -> T) async throws
        -> T
    {
        try await outer.execute(retryingResult: shouldRetryResult) {
            try await hedging.execute { _ in try await attempt.execute(operation) }
        }
    }
}
