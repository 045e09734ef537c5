/// One policy of a pipeline, in the order declared.
///
/// Every payload is a single class reference, so that reading a stage costs one retain rather
/// than a copy of a policy struct with all its references.
@usableFromInline
enum ResiliencePipelineStage<Output: Sendable>: Sendable {
    case fallback(ResiliencePipelineBox<FallbackPolicy<Output>>)
    case retry(ResiliencePipelineBox<ResiliencePipelineRetry<Output>>)
    case circuitBreaker(CircuitBreaker)
    case timeout(ResiliencePipelineBox<TimeoutPolicy>)
    case bulkhead(Bulkhead)
    case rateLimiter(ResiliencePipelineBox<any RateLimiter>)
}

/// A policy kept by reference in a pipeline stage.
@usableFromInline
final class ResiliencePipelineBox<Value: Sendable>: Sendable {
    @usableFromInline
    let value: Value

    init(_ value: Value) {
        self.value = value
    }
}

/// A retry stage: the policy and its result predicate.
@usableFromInline
struct ResiliencePipelineRetry<Output: Sendable>: Sendable {
    @usableFromInline
    let policy: RetryPolicy
    @usableFromInline
    let shouldRetryResult: (@Sendable (Output) -> Bool)?
}
