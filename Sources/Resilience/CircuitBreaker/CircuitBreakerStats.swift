/// A snapshot of a circuit breaker, for dashboards and tests.
public struct CircuitBreakerStats: Sendable, Hashable {
    /// The breaker's name.
    public var name: String
    /// The current state.
    public var state: CircuitBreakerState
    /// The generation: increases with every transition.
    public var generation: UInt64
    /// The sliding window now.
    public var window: CircuitBreakerWindowSnapshot
    /// Outcomes since the breaker was created.
    public var totals: CircuitBreakerOutcomeCounts
    /// When the breaker last opened, if it has.
    public var openedAt: ResilienceInstant?
    /// When the current break ends, while open.
    public var openUntil: ResilienceInstant?
    /// When the last failure was recorded.
    public var lastFailureAt: ResilienceInstant?
    /// The kind of the last failure.
    public var lastFailureKind: ResilienceError.Code?
    /// Whether an external authority decides the transitions right now.
    public var isDelegated: Bool

    /// Failures over calls in the window.
    public var failureRatio: Double { window.failureRatio }
}
