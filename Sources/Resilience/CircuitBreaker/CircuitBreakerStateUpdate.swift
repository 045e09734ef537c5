/// A state decided by the external authority, applied to the local view with ``CircuitBreaker/apply(_:)``.
///
/// Instants are on the breaker's own clock: an authority that keeps Redis `TIME` converts with
/// `breaker.clock.now + (openUntilOnRedis - redisNow)`, so skewed clocks do not matter.
public struct CircuitBreakerStateUpdate: Sendable, Hashable {
    /// The state.
    public var state: CircuitBreakerState
    /// The generation; an update whose generation is not greater than the breaker's is stale and ignored.
    public var generation: UInt64
    /// When the breaker opened, for `open` and `isolated`.
    public var openedAt: ResilienceInstant?
    /// When the break ends, for `open`; the breaker proposes half-open from then on.
    public var openUntil: ResilienceInstant?

    /// Creates an update.
    /// - Parameters:
    ///   - state: The state.
    ///   - generation: The authority's generation.
    ///   - openedAt: When it opened.
    ///   - openUntil: When the break ends.
    public init(
        state: CircuitBreakerState,
        generation: UInt64,
        openedAt: ResilienceInstant? = nil,
        openUntil: ResilienceInstant? = nil
    ) {
        self.state = state
        self.generation = generation
        self.openedAt = openedAt
        self.openUntil = openUntil
    }
}
