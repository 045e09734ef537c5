/// Declares the policies of a ``ResiliencePipeline``; they run in the one order of ``PolicyPipeline``,
/// whatever the order of the calls here.
///
/// **fallback → rate limiter → bulkhead → total timeout → retry → hedging → circuit breaker → attempt timeout → operation**
///
/// Each policy has one place: declaring one a second time replaces the first.
///
/// ```swift
/// let pipeline = ResiliencePipelineBuilder<Response>(name: "payments")
///     .fallback(FallbackPolicy(kinds: [.breakerOpen], value: .unavailable))
///     .totalTimeout(TimeoutPolicy(timeout: .seconds(30)))
///     .retry(try RetryPolicy())
///     .circuitBreaker(breaker)
///     .attemptTimeout(TimeoutPolicy(timeout: .seconds(10)))
///     .build()
/// ```
public struct ResiliencePipelineBuilder<Output: Sendable>: Sendable {
    /// The pipeline's name.
    public var name: String
    private var fallback: FallbackPolicy<Output>?
    private var rateLimiter: (any RateLimiter)?
    private var bulkhead: Bulkhead?
    private var adaptiveConcurrency: AdaptiveConcurrencyLimiter?
    private var totalTimeout: TimeoutPolicy?
    private var retry: RetryPolicy?
    private var shouldRetryResult: (@Sendable (Output) -> Bool)?
    private var circuitBreaker: CircuitBreaker?
    private var attemptTimeout: TimeoutPolicy?
    private var hedging: HedgingPolicy?
    private var switches = PolicySwitches()
    private var telemetry: ResilienceTelemetry?

    /// Starts an empty pipeline.
    /// - Parameter name: The pipeline's name.
    public init(name: String) {
        self.name = name
    }

    /// Sets the fallback, outside every other policy.
    /// - Parameter policy: The fallback.
    /// - Returns: The builder with the fallback set.
    public func fallback(_ policy: FallbackPolicy<Output>) -> Self {
        with { $0.fallback = policy }
    }

    /// Sets the rate limiter, the first policy a call meets.
    /// - Parameter limiter: The limiter.
    /// - Returns: The builder with the limiter set.
    public func rateLimiter(_ limiter: any RateLimiter) -> Self {
        with { $0.rateLimiter = limiter }
    }

    /// Sets the bulkhead, outside the timeouts and the retry: a call holds its slot through every retry.
    /// - Parameter bulkhead: The bulkhead.
    /// - Returns: The builder with the bulkhead set.
    public func bulkhead(_ bulkhead: Bulkhead) -> Self {
        with { $0.bulkhead = bulkhead }
    }

    /// Sets an adaptive concurrency limiter around each attempt, just outside the circuit breaker: the attempts
    /// running at once are limited to what the dependency's latency says it can take, learnt from each attempt's
    /// latency (never from the retries' waits). Its refusal is not retried by default, nor counted by the breaker.
    /// - Parameter limiter: The limiter.
    /// - Returns: The builder with the limiter set.
    public func adaptiveConcurrency(_ limiter: AdaptiveConcurrencyLimiter) -> Self {
        with { $0.adaptiveConcurrency = limiter }
    }

    /// Sets the timeout of the whole call, retries and waits included (see ``TimeoutPolicy/execute(_:)``).
    /// - Parameter policy: The timeout.
    /// - Returns: The builder with the total timeout set.
    public func totalTimeout(_ policy: TimeoutPolicy) -> Self {
        with { $0.totalTimeout = policy }
    }

    /// Sets the retry.
    /// - Parameters:
    ///   - policy: The retry.
    ///   - shouldRetryResult: Which returned values are retried; none by default.
    /// - Returns: The builder with the retry set.
    public func retry(_ policy: RetryPolicy, retryingResult shouldRetryResult: (@Sendable (Output) -> Bool)? = nil) -> Self {
        with {
            $0.retry = policy
            $0.shouldRetryResult = shouldRetryResult
        }
    }

    /// Sets the circuit breaker, which every attempt goes through.
    /// - Parameter breaker: The breaker.
    /// - Returns: The builder with the breaker set.
    public func circuitBreaker(_ breaker: CircuitBreaker) -> Self {
        with { $0.circuitBreaker = breaker }
    }

    /// Sets the timeout of each attempt, inside the breaker so that it counts a hang as a failure.
    /// - Parameter policy: The timeout.
    /// - Returns: The builder with the attempt timeout set.
    public func attemptTimeout(_ policy: TimeoutPolicy) -> Self {
        with { $0.attemptTimeout = policy }
    }

    /// Sets the hedging, inside the retry and outside the circuit breaker, as in Polly's standard hedging
    /// handler: each hedged attempt goes through the breaker and the attempt timeout, the total timeout bounds
    /// the attempts together, and a retry tries the whole hedged call again. Hedge idempotent operations only.
    /// - Parameter policy: The hedging.
    /// - Returns: The builder with the hedging set.
    public func hedging(_ policy: HedgingPolicy) -> Self {
        with { $0.hedging = policy }
    }

    /// Sets the kill switches, such as the fleet-wide ones `PolicySwitchboard` hands out for the pipeline's name;
    /// without them the pipeline has switches of its own, every policy on.
    /// - Parameter switches: The switches.
    /// - Returns: The builder with the switches set.
    public func switches(_ switches: PolicySwitches) -> Self {
        with { $0.switches = switches }
    }

    /// Sets where the pipeline's spans go: its ``ResilienceTelemetry/tracer`` (by default the bootstrapped one, if
    /// any). Each policy keeps the telemetry it was created with.
    /// - Parameter telemetry: The telemetry.
    /// - Returns: The builder with the telemetry set.
    public func telemetry(_ telemetry: ResilienceTelemetry) -> Self {
        with { $0.telemetry = telemetry }
    }

    /// The pipeline.
    /// - Returns: A pipeline running the policies in the one order of ``PolicyPipeline``.
    public func build() -> ResiliencePipeline<Output> {
        let policies = PolicyPipeline(
            name: name,
            rateLimiter: rateLimiter,
            bulkhead: bulkhead,
            adaptiveConcurrency: adaptiveConcurrency,
            totalTimeout: totalTimeout,
            retry: retry,
            circuitBreaker: circuitBreaker,
            attemptTimeout: attemptTimeout,
            telemetry: telemetry ?? ResilienceTelemetry(),
            switches: switches
        )
        return ResiliencePipeline(
            policies: policies,
            fallback: fallback,
            shouldRetryResult: shouldRetryResult,
            hedged: hedging.map { HedgedPolicies(hedging: $0, around: policies) }
        )
    }

    private func with(_ change: (inout Self) -> Void) -> Self {
        var copy = self
        change(&copy)
        return copy
    }
}
