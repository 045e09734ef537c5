import Resilience

/// GCRA in this process's memory, for the local fallback: the same arithmetic as the Redis script, with a
/// share of the fleet's rate and burst.
struct LocalGCRA {
    private var arrival: ContinuousClock.Instant
    private let interval: Duration
    private let tolerance: Duration

    /// A full bucket of `burst` tokens refilled at `limit` per `period`.
    init(limit: Double, burst: Double, period: Duration, now: ContinuousClock.Instant) {
        arrival = now
        interval = period / limit
        tolerance = interval * burst
    }

    /// Takes `permits` tokens if the bucket holds them.
    mutating func take(_ permits: Int, now: ContinuousClock.Instant) -> RateLimitResult {
        let start = max(arrival, now)
        let next = start + interval * permits
        let allowedAt = next - tolerance
        guard allowedAt <= now else {
            return RateLimitResult(decision: .denied(retryAfter: allowedAt - now), remaining: 0, resetAfter: start - now)
        }
        arrival = next
        return RateLimitResult(decision: .allowed, remaining: Int(((now - allowedAt) / interval).rounded(.down)), resetAfter: next - now)
    }
}
