/// Something a ``HedgingPolicy`` did: emitted to its `onEvent` handler as it happens.
public struct HedgingEvent: Sendable, Hashable {
    /// What happened.
    public enum Kind: Sendable, Hashable {
        /// A hedged attempt was launched (the primary is not reported).
        case launched
        /// A hedged attempt returned the call's value; the others were cancelled.
        case won
        /// The ``HedgingBudget`` held no token, so the call launched no more hedges.
        case budgetExhausted
    }

    /// The policy's name.
    public var policy: String
    /// What happened.
    public var kind: Kind
    /// The attempt concerned, from 2 (the first hedge); for ``Kind/budgetExhausted``, the one refused.
    public var attempt: Int
    /// When, on the policy's clock.
    public var at: ResilienceInstant

    /// Creates an event.
    /// - Parameters:
    ///   - policy: The policy's name.
    ///   - kind: What happened.
    ///   - attempt: The attempt concerned.
    ///   - at: When.
    public init(policy: String, kind: Kind, attempt: Int, at: ResilienceInstant) {
        self.policy = policy
        self.kind = kind
        self.attempt = attempt
        self.at = at
    }
}
