import Resilience

/// One flush of a shared breaker's outcomes under way: what it carries to Redis and whom it answers.
struct SharedBreakerFlush {
    /// The outcomes drained for it.
    let counts: CircuitBreakerOutcomeCounts
    /// How long ago the newest of its successes happened, as far as the registry could date it.
    var newestSuccessAge: Duration = .zero
    /// The failing calls that waited for it when it started.
    var waiters: [BoundedWait] = []
    /// Whether it also answers the calls whose failures it drained before they waited.
    var answersDrained = false
}
