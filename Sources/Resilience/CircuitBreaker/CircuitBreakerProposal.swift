/// A transition that the local state machine would make, handed to a ``CircuitBreakerAuthority`` to decide.
public struct CircuitBreakerProposal: Sendable, Hashable, CustomStringConvertible {
    /// The breaker's name.
    public var breaker: String
    /// The state the local view is in.
    public var from: CircuitBreakerState
    /// The state proposed.
    public var to: CircuitBreakerState
    /// The generation the proposal is based on; an authority whose generation has moved on should drop it.
    public var generation: UInt64
    /// Why.
    public var reason: CircuitBreakerTransitionReason
    /// When, on the breaker's clock.
    public var at: ResilienceInstant
    /// The break the local configuration would apply, for a proposal to open.
    public var breakDuration: Duration?
    /// The local window at the time of the proposal, as evidence.
    public var window: CircuitBreakerWindowSnapshot

    /// Creates a proposal.
    /// - Parameters:
    ///   - breaker: The breaker's name.
    ///   - from: The local state.
    ///   - to: The proposed state.
    ///   - generation: The generation it is based on.
    ///   - reason: Why.
    ///   - at: When.
    ///   - breakDuration: The break, for a proposal to open.
    ///   - window: The local window.
    public init(
        breaker: String,
        from: CircuitBreakerState,
        to: CircuitBreakerState,
        generation: UInt64,
        reason: CircuitBreakerTransitionReason,
        at: ResilienceInstant,
        breakDuration: Duration?,
        window: CircuitBreakerWindowSnapshot
    ) {
        self.breaker = breaker
        self.from = from
        self.to = to
        self.generation = generation
        self.reason = reason
        self.at = at
        self.breakDuration = breakDuration
        self.window = window
    }

    /// `name: from -> to (reason, generation)`.
    public var description: String { "\(breaker): propose \(from) -> \(to) (\(reason), generation \(generation))" }
}
