/// A rate limiter that keeps one limit per key (a tenant, a user, a route, a client address) and may ask a
/// store shared by a fleet before it answers.
///
/// ``RateLimiter`` decides synchronously from local memory; a keyed limiter decides asynchronously, so an
/// implementation can reserve permits in Redis (the SharedState module's `SharedRateLimiter`), and answers
/// with what the `RateLimit` response headers need.
public protocol KeyedRateLimiter: Sendable {
    /// The most permits per key in one ``window`` (the quota announced in `RateLimit-Policy`).
    var limit: Int { get }
    /// The period the ``limit`` applies to.
    var window: Duration { get }

    /// Takes `permits` of `key`'s limit if it allows them now.
    /// - Parameters:
    ///   - key: What the permits count against.
    ///   - permits: How many permits the call needs; 1 for one call.
    /// - Returns: The decision, with the permits left and the time until the quota is whole again.
    /// - Throws: When the key or `permits` is malformed; never because the limit is reached.
    func acquire(key: String, permits: Int) async throws -> RateLimitResult
}

/// A keyed rate limiter's answer: the decision, and what clients are told about the quota.
public struct RateLimitResult: Sendable, Hashable {
    /// Whether the permits were taken, or how long to wait.
    public var decision: RateLimitDecision
    /// Permits left for the key after this decision (0 when none).
    public var remaining: Int
    /// The time until the key's quota is whole again.
    public var resetAfter: Duration

    /// Creates a result.
    /// - Parameters:
    ///   - decision: The decision.
    ///   - remaining: Permits left; negative values count as 0.
    ///   - resetAfter: The time until the quota is whole again.
    public init(decision: RateLimitDecision, remaining: Int, resetAfter: Duration) {
        self.decision = decision
        self.remaining = max(0, remaining)
        self.resetAfter = resetAfter
    }
}
