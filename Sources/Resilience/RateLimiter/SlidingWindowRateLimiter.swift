import Metrics
import Synchronization

/// At most `limit` permits in any `window`, by the sliding-window counter.
///
/// The count in the sliding window is estimated from two fixed windows, the current and the
/// previous, as `previous × (1 − elapsed fraction of current) + current` — the approach that
/// Cloudflare described for its rate limiting, with constant memory and no burst at window
/// boundaries. The Retry-After hint is the time until the estimate falls enough.
public final class SlidingWindowRateLimiter: RateLimiter {
    private struct Windows {
        var start: Int64
        var current: Int = 0
        var previous: Int = 0
    }

    /// The name.
    public let name: String
    /// Permits allowed per window.
    public let limit: Int
    /// The window.
    public let window: Duration
    private let windowNanos: Int64
    private let clock: any ResilienceClock
    private let windows: Mutex<Windows>
    private let rejections: Counter

    /// Creates a limiter.
    /// - Parameters:
    ///   - name: The name.
    ///   - limit: Permits per window; at least 1.
    ///   - window: The window; positive.
    ///   - clock: The clock.
    ///   - telemetry: Where metrics go.
    public init(
        name: String,
        limit: Int,
        window: Duration,
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) {
        precondition(limit >= 1 && window > .zero, "SlidingWindowRateLimiter needs limit >= 1 and a positive window")
        self.name = name
        self.limit = limit
        self.window = window
        self.clock = clock
        windowNanos = max(1, window.clampedNanoseconds)
        let now = clock.now.nanoseconds
        windows = Mutex(Windows(start: now - now % windowNanos))
        rejections = telemetry.counter(ResilienceTelemetryNames.rateLimiterRejections, [("limiter", name)])
    }

    /// Takes `permits` if the sliding window has room.
    /// - Parameter permits: Permits needed.
    /// - Returns: Allowed, or denied with the time until there is room.
    public func tryAcquire(permits: Int = 1) -> RateLimitDecision {
        let now = clock.now.nanoseconds
        let decision = windows.withLock { windows -> RateLimitDecision in
            let start = now - now % windowNanos
            if start != windows.start {
                windows.previous = start - windows.start == windowNanos ? windows.current : 0
                windows.current = 0
                windows.start = start
            }
            let fraction = Double(now - start) / Double(windowNanos)
            let estimate = Double(windows.previous) * (1 - fraction) + Double(windows.current)
            // The tolerance keeps rounding from refusing a permit at the very instant the Retry-After hint named.
            if estimate + Double(permits) <= Double(limit) + 1e-9 {
                windows.current += permits
                return .allowed
            }
            guard permits <= limit else { return .denied(retryAfter: .nanoseconds(Int64.max)) }
            return .denied(retryAfter: retryAfter(windows, permits: permits, now: now))
        }
        if !decision.isAllowed { rejections.increment() }
        return decision
    }

    /// What is left now, for `RateLimit` response headers: the permits a call could still take, and the time
    /// until the current fixed window ends (when the count from before it starts to fall away).
    /// - Returns: The permits left (0 when none) and the time until the window ends.
    public func remaining() -> (permits: Int, windowEndsIn: Duration) {
        let now = clock.now.nanoseconds
        return windows.withLock { windows in
            let start = now - now % windowNanos
            let current = start == windows.start ? windows.current : 0
            let previous = start == windows.start ? windows.previous : (start - windows.start == windowNanos ? windows.current : 0)
            let fraction = Double(now - start) / Double(windowNanos)
            let estimate = Double(previous) * (1 - fraction) + Double(current)
            let permits = max(0, Int((Double(limit) - estimate + 1e-9).rounded(.down)))
            return (permits, .nanoseconds(start + windowNanos - now))
        }
    }

    private func retryAfter(_ windows: Windows, permits: Int, now: Int64) -> Duration {
        let room = Double(limit - permits)
        let untilNextWindow = windows.start + windowNanos - now
        // Within this window only the previous window's weight falls.
        if windows.previous > 0, Double(windows.current) <= room {
            let fraction = 1 - (room - Double(windows.current)) / Double(windows.previous)
            let at = windows.start + Int64(fraction * Double(windowNanos))
            if at > now && at < windows.start + windowNanos { return .nanoseconds(at - now) }
        }
        // Next window: the current count becomes the previous and falls as that window passes.
        guard windows.current > 0 else { return .nanoseconds(untilNextWindow) }
        let fraction = max(0, 1 - room / Double(windows.current))
        return .nanoseconds(untilNextWindow + Int64(fraction * Double(windowNanos)))
    }
}
