import Resilience
import Synchronization

/// One sliding-window limiter per key, at most `maximumKeys` of them: when full, the limiters idle longer
/// than a window (which would allow a full quota anyway) are dropped, then, if still full, the one used
/// least recently.
final class KeyedRateLimiters: Sendable {
    private struct Entry {
        let limiter: SlidingWindowRateLimiter
        var lastUsed: ContinuousClock.Instant
    }

    private let policy: RateLimitPolicy
    private let entries = Mutex<[String: Entry]>([:])

    init(policy: RateLimitPolicy) {
        self.policy = policy
    }

    /// How many keys are tracked now.
    var count: Int { entries.withLock { $0.count } }

    /// The limiter of `key`, made when new.
    func limiter(for key: String) -> SlidingWindowRateLimiter {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            if let entry = entries[key] {
                entries[key]?.lastUsed = now
                return entry.limiter
            }
            if entries.count >= policy.maximumKeys { evict(&entries, now: now) }
            let limiter = SlidingWindowRateLimiter(name: "\(policy.name)", limit: policy.limit, window: policy.window)
            entries[key] = Entry(limiter: limiter, lastUsed: now)
            return limiter
        }
    }

    private func evict(_ entries: inout [String: Entry], now: ContinuousClock.Instant) {
        // Idle for two windows: both windows the estimate weighs are empty, so forgetting changes nothing.
        let stale = now - policy.window * 2
        entries = entries.filter { $0.value.lastUsed > stale }
        if entries.count >= policy.maximumKeys, let oldest = entries.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
            entries[oldest.key] = nil
        }
    }
}
