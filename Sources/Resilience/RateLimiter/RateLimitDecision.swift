/// A rate limiter's answer.
public enum RateLimitDecision: Sendable, Hashable {
    /// The permits were taken.
    case allowed
    /// Not now; the permits could be had after `retryAfter` (if nothing else takes them first).
    case denied(retryAfter: Duration)

    /// Whether the permits were taken.
    public var isAllowed: Bool {
        if case .allowed = self { return true }
        return false
    }
}
