import Resilience
import Synchronization

/// One sliding-window limiter per key, at most `maximumKeys` of them, in a `RecencyTable`: a new key past
/// the bound evicts the key used least recently, and keys idle for two windows (whose count has fallen to
/// nothing, so forgetting them changes no decision) leave from the old end as other keys arrive. Every
/// request costs O(1) under the lock, however many keys are tracked.
final class KeyedRateLimiters: KeyedRateLimiter {
    private let policy: RateLimitPolicy
    private let entries: Mutex<RecencyTable<String, SlidingWindowRateLimiter>>

    init(policy: RateLimitPolicy) {
        self.policy = policy
        entries = Mutex(RecencyTable(capacity: policy.maximumKeys))
    }

    var limit: Int { policy.limit }
    var window: Duration { policy.window }

    /// How many keys are tracked now.
    var count: Int { entries.withLock { $0.count } }

    /// The limiter of `key`, made when new.
    func limiter(for key: String) -> SlidingWindowRateLimiter {
        let now = ContinuousClock.now
        // Idle for two windows: both windows the estimate weighs are empty, so forgetting changes nothing.
        let idleBefore = now - policy.window * 2
        return entries.withLock { entries in
            entries.access(key, now: now, idleBefore: idleBefore) {
                SlidingWindowRateLimiter(name: policy.name, limit: policy.limit, window: policy.window)
            } _: {
                $0
            }
        }
    }

    func acquire(key: String, permits: Int) async -> RateLimitResult {
        let limiter = limiter(for: key)
        let decision = limiter.tryAcquire(permits: permits)
        let (remaining, windowEndsIn) = limiter.remaining()
        switch decision {
        case .allowed: return RateLimitResult(decision: decision, remaining: remaining, resetAfter: windowEndsIn)
        case .denied(let retryAfter): return RateLimitResult(decision: decision, remaining: 0, resetAfter: min(retryAfter, policy.window))
        }
    }
}
