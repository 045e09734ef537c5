import Metrics
import Synchronization

/// A token bucket: `capacity` tokens, refilled continuously at `refillRate` tokens per second.
///
/// Allows bursts up to the capacity and a steady rate after that. The Retry-After hint is the time
/// until enough tokens have refilled.
public final class TokenBucketRateLimiter: RateLimiter {
    private struct Bucket {
        var tokens: Double
        var updated: Int64
    }

    /// The name.
    public let name: String
    /// The most tokens the bucket holds (the largest burst).
    public let capacity: Int
    /// Tokens added per second.
    public let refillRate: Double
    private let clock: any ResilienceClock
    private let bucket: Mutex<Bucket>
    private let rejections: Counter

    /// Creates a full bucket.
    /// - Parameters:
    ///   - name: The name.
    ///   - capacity: The largest burst; at least 1.
    ///   - refillRate: Tokens per second; positive.
    ///   - clock: The clock.
    ///   - telemetry: Where metrics go.
    public init(
        name: String,
        capacity: Int,
        refillRate: Double,
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) {
        precondition(capacity >= 1 && refillRate > 0, "TokenBucketRateLimiter needs capacity >= 1 and refillRate > 0")
        self.name = name
        self.capacity = capacity
        self.refillRate = refillRate
        self.clock = clock
        bucket = Mutex(Bucket(tokens: Double(capacity), updated: clock.now.nanoseconds))
        rejections = telemetry.counter(ResilienceTelemetryNames.rateLimiterRejections, [("limiter", name)])
    }

    /// Takes `permits` tokens if the bucket holds them.
    /// - Parameter permits: Tokens needed.
    /// - Returns: Allowed, or denied with the time until enough tokens have refilled.
    public func tryAcquire(permits: Int = 1) -> RateLimitDecision {
        let now = clock.now.nanoseconds
        let needed = Double(permits)
        let decision = bucket.withLock { bucket -> RateLimitDecision in
            let elapsed = Double(max(0, now - bucket.updated)) / 1e9
            bucket.tokens = min(Double(capacity), bucket.tokens + elapsed * refillRate)
            bucket.updated = now
            if bucket.tokens >= needed {
                bucket.tokens -= needed
                return .allowed
            }
            guard needed <= Double(capacity) else { return .denied(retryAfter: .nanoseconds(Int64.max)) }
            return .denied(retryAfter: .clampedSeconds((needed - bucket.tokens) / refillRate))
        }
        if !decision.isAllowed { rejections.increment() }
        return decision
    }
}
