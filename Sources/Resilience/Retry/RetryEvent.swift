/// A retry about to happen: emitted once for every retry, before its wait.
public struct RetryEvent: Sendable, Hashable {
    /// The retry policy's name.
    public var policy: String
    /// The attempt that failed, from 1.
    public var attempt: Int
    /// How long the policy waits before the next attempt.
    public var delay: Duration
    /// The kind of the error retried, or `nil` when a result was retried.
    public var kind: ResilienceError.Code?
    /// When, on the policy's clock.
    public var at: ResilienceInstant

    /// Creates an event.
    /// - Parameters:
    ///   - policy: The policy's name.
    ///   - attempt: The failed attempt.
    ///   - delay: The wait.
    ///   - kind: The error's kind.
    ///   - at: When.
    public init(policy: String, attempt: Int, delay: Duration, kind: ResilienceError.Code?, at: ResilienceInstant) {
        self.policy = policy
        self.attempt = attempt
        self.delay = delay
        self.kind = kind
        self.at = at
    }
}
