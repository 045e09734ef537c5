import Resilience

/// When a breaker's newest pending success happened, as closely as the registry's timer ticks tell it without
/// a clock read on the hot path: a success is dated by the tick (or the flush) that first saw it, so the date is
/// at most one flush interval late.
///
/// Lazy flushing holds successes back for seconds; Redis needs their date to order them against the failures
/// other instances flushed meanwhile (a success only ends a run of consecutive failures that came before it).
struct SuccessRecency {
    /// Pending successes at the last observation.
    private(set) var dated: UInt64 = 0
    /// When the newest of them was first dated (the breaker's clock, ns).
    private var newestAt: Int64 = 0

    /// A timer tick: dates the successes that arrived since the last observation.
    mutating func observe(_ breaker: CircuitBreaker) {
        let pending = breaker.undrainedOutcomes.successes
        guard pending > dated else { return }
        dated = pending
        newestAt = breaker.clock.now.nanoseconds
    }

    /// Drains the breaker's outcomes; the age of the newest drained success is 0 when some arrived undated
    /// (and when there are none).
    mutating func drain(_ breaker: CircuitBreaker) -> (counts: CircuitBreakerOutcomeCounts, newestSuccessAge: Duration) {
        let counts = breaker.drainOutcomes()
        let now = breaker.clock.now.nanoseconds
        let age = counts.successes == 0 || counts.successes > dated ? 0 : max(0, now - newestAt)
        dated = 0
        return (counts, .nanoseconds(age))
    }
}
