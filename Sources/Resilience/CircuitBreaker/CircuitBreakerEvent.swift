/// A state transition of a circuit breaker, delivered exactly once per transition.
public struct CircuitBreakerEvent: Sendable, Hashable, CustomStringConvertible {
    /// The breaker's name.
    public var breaker: String
    /// The state before.
    public var from: CircuitBreakerState
    /// The state after.
    public var to: CircuitBreakerState
    /// The breaker's generation after the transition.
    public var generation: UInt64
    /// Why it happened.
    public var reason: CircuitBreakerTransitionReason
    /// When it happened, on the breaker's clock.
    public var at: ResilienceInstant

    /// Creates an event.
    /// - Parameters:
    ///   - breaker: The breaker's name.
    ///   - from: The state before.
    ///   - to: The state after.
    ///   - generation: The generation after.
    ///   - reason: Why.
    ///   - at: When.
    public init(
        breaker: String,
        from: CircuitBreakerState,
        to: CircuitBreakerState,
        generation: UInt64,
        reason: CircuitBreakerTransitionReason,
        at: ResilienceInstant
    ) {
        self.breaker = breaker
        self.from = from
        self.to = to
        self.generation = generation
        self.reason = reason
        self.at = at
    }

    /// `name: from -> to (reason, generation)`.
    public var description: String { "\(breaker): \(from) -> \(to) (\(reason), generation \(generation))" }
}
