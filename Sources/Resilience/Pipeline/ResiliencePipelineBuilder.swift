/// Declares the policies of a ``ResiliencePipeline``, outermost first.
///
/// The order is the one written: in `fallback → retry → circuit breaker → timeout → bulkhead`, the
/// fallback sees what is left after every retry, each retry goes through the breaker, the breaker
/// counts timeouts as failures, and the timeout includes no time spent outside the bulkhead's queue.
///
/// ```swift
/// let pipeline = ResiliencePipelineBuilder<Response>(name: "payments")
///     .fallback(FallbackPolicy(kinds: [.breakerOpen], value: .unavailable))
///     .retry(try RetryPolicy())
///     .circuitBreaker(breaker)
///     .timeout(TimeoutPolicy(timeout: .seconds(10)))
///     .bulkhead(try Bulkhead(name: "payments"))
///     .build()
/// ```
public struct ResiliencePipelineBuilder<Output: Sendable>: Sendable {
    /// The pipeline's name.
    public var name: String
    private var stages: [ResiliencePipelineStage<Output>] = []

    /// Starts an empty pipeline.
    /// - Parameter name: The pipeline's name.
    public init(name: String) {
        self.name = name
    }

    /// Adds a fallback.
    /// - Parameter policy: The fallback.
    /// - Returns: The builder with the fallback added inside the policies declared before it.
    public func fallback(_ policy: FallbackPolicy<Output>) -> Self {
        adding(.fallback(ResiliencePipelineBox(policy)))
    }

    /// Adds a retry.
    /// - Parameters:
    ///   - policy: The retry.
    ///   - shouldRetryResult: Which returned values are retried; none by default.
    /// - Returns: The builder with the retry added.
    public func retry(_ policy: RetryPolicy, retryingResult shouldRetryResult: (@Sendable (Output) -> Bool)? = nil) -> Self {
        adding(.retry(ResiliencePipelineBox(ResiliencePipelineRetry(policy: policy, shouldRetryResult: shouldRetryResult))))
    }

    /// Adds a circuit breaker.
    /// - Parameter breaker: The breaker.
    /// - Returns: The builder with the breaker added.
    public func circuitBreaker(_ breaker: CircuitBreaker) -> Self {
        adding(.circuitBreaker(breaker))
    }

    /// Adds a cooperative timeout (see ``TimeoutPolicy/execute(_:)``).
    /// - Parameter policy: The timeout.
    /// - Returns: The builder with the timeout added.
    public func timeout(_ policy: TimeoutPolicy) -> Self {
        adding(.timeout(ResiliencePipelineBox(policy)))
    }

    /// Adds a bulkhead.
    /// - Parameter bulkhead: The bulkhead.
    /// - Returns: The builder with the bulkhead added.
    public func bulkhead(_ bulkhead: Bulkhead) -> Self {
        adding(.bulkhead(bulkhead))
    }

    /// Adds a rate limiter.
    /// - Parameter limiter: The limiter.
    /// - Returns: The builder with the limiter added.
    public func rateLimiter(_ limiter: any RateLimiter) -> Self {
        adding(.rateLimiter(ResiliencePipelineBox(limiter)))
    }

    /// The pipeline.
    /// - Returns: A pipeline running the policies in the declared order.
    public func build() -> ResiliencePipeline<Output> {
        ResiliencePipeline(name: name, stages: stages)
    }

    private func adding(_ stage: ResiliencePipelineStage<Output>) -> Self {
        var copy = self
        copy.stages.append(stage)
        return copy
    }
}
