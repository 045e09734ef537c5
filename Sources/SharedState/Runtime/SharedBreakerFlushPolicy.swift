import Resilience
import Synchronization

/// When a shared breaker's outcomes are worth a write to Redis: the lazy flushing of `docs/convergence.md`
/// ("How far the shared counts lag").
///
/// While the breaker is closed, successes only move the fleet's decision away from the threshold: they wait
/// up to ``interval`` and then go in one write, or ride along with the next failure. A failure goes at once,
/// unless Redis's last answer to this instance showed that the fleet can take more failures than every
/// reporting instance holding back this many (``allowance``) without reaching the threshold. Slow calls, any
/// state but closed (probes, transitions) and the eager mode flush as before: at every flush interval, and
/// each failure at once.
final class SharedBreakerFlushPolicy: Sendable {
    /// Whether flushing is lazy (``SharedBreakerOptions/lazyFlushing``).
    let lazy: Bool
    /// How long a closed breaker's outcomes may wait, in nanoseconds.
    let intervalNanos: Int64
    /// How far ahead the headroom Redis computes must hold, in milliseconds: the longest an allowance can be
    /// used before this instance's next flush refreshes it (the lazy interval plus one timer tick).
    let horizonMilliseconds: Int
    /// Failures this instance may hold back, from Redis's last answer; 0 after any transition or re-read.
    private let failureAllowance = Atomic<Int>(0)
    /// Until when (the breaker's clock, ns) the allowance holds: the horizon for which Redis computed the
    /// headroom, from the start of the flush it answered.
    private let allowanceUntil = Atomic<Int64>(0)
    /// When the last flush of this breaker started (the breaker's clock, ns).
    private let lastFlush: Atomic<Int64>
    /// When the newest pending success was first seen, so that Redis can order it against other instances' failures.
    private let recency = Mutex(SuccessRecency())

    /// - Parameters:
    ///   - options: The registry's options.
    ///   - rules: The breaker's rules: the wait is at most half its window, so that no success waits for so
    ///     long that the pooled window would lose it.
    ///   - now: The breaker's clock now; the first lazy flush is due one interval later.
    init(options: SharedBreakerOptions, rules: SharedBreakerRules, now: Int64) {
        lazy = options.lazyFlushing
        let halfWindow = Duration.milliseconds(rules.windowMilliseconds / 2)
        let interval = max(options.flushInterval, min(options.lazyFlushInterval, halfWindow))
        intervalNanos = Int64(SharedBreakerRules.milliseconds(interval)) * 1_000_000
        horizonMilliseconds = lazy ? SharedBreakerRules.milliseconds(interval + options.flushInterval) : 0
        lastFlush = Atomic(now)
    }

    /// The pending successes the timer ticks have dated so far (for tests that must wait until one was dated).
    var datedSuccesses: UInt64 { recency.withLock { $0.dated } }

    /// The failures this instance may hold back now (none once the horizon of the answer it came from is near).
    func allowance(_ breaker: CircuitBreaker) -> Int {
        breaker.clock.now.nanoseconds < allowanceUntil.load(ordering: .relaxed) ? failureAllowance.load(ordering: .relaxed) : 0
    }

    /// A failure was just recorded: whether it must reach Redis now.
    func failureIsUrgent(_ breaker: CircuitBreaker) -> Bool {
        guard lazy, breaker.state == .closed else { return true }
        let pending = breaker.undrainedOutcomes
        return pending.slowCalls > 0 || pending.failures > UInt64(allowance(breaker))
    }

    /// At a timer tick: whether the breaker's outcomes should be flushed now. Notes when new successes arrived.
    func isDue(_ breaker: CircuitBreaker) -> Bool {
        recency.withLock { $0.observe(breaker) }
        guard lazy, breaker.state == .closed else { return true }
        let pending = breaker.undrainedOutcomes
        if pending.isEmpty { return false }
        if pending.slowCalls > 0 || pending.failures > UInt64(allowance(breaker)) { return true }
        return breaker.clock.now.nanoseconds - lastFlush.load(ordering: .relaxed) >= intervalNanos
    }

    /// A flush of the breaker starts: drains its outcomes and tells how long ago the newest of their successes
    /// was first seen (0 when there are none, or when some arrived since the last timer tick).
    func drainForFlush(_ breaker: CircuitBreaker) -> (counts: CircuitBreakerOutcomeCounts, newestSuccessAge: Duration) {
        lastFlush.store(breaker.clock.now.nanoseconds, ordering: .relaxed)
        return recency.withLock { $0.drain(breaker) }
    }

    /// Redis answered: the failures this instance may hold back are its share of the headroom Redis computed
    /// (none for answers that carry no headroom, or when the breaker is not closed), until the horizon after the
    /// flush started: Redis computed the headroom for no longer than that. The next lazy flush comes first.
    func answered(_ snapshot: SharedBreakerSnapshot) {
        let share = snapshot.state == .closed ? snapshot.failureHeadroom / max(1, snapshot.reporters) : 0
        allowanceUntil.store(lastFlush.load(ordering: .relaxed) + Int64(horizonMilliseconds) * 1_000_000, ordering: .relaxed)
        failureAllowance.store(share, ordering: .relaxed)
    }

    /// A transition or a re-read changed Redis's window under the allowance: hold nothing back until the next answer.
    func revoke() {
        failureAllowance.store(0, ordering: .relaxed)
    }
}
