import Resilience

/// One instance's latest report of a shared breaker.
public struct SharedBreakerInstanceReport: Sendable, Hashable {
    /// The state the instance's local view was in.
    public var localState: CircuitBreakerState
    /// Successes in its last report.
    public var successes: UInt64
    /// Failures in its last report.
    public var failures: UInt64
    /// When it reported, in Redis time (ms).
    public var reportedAtMilliseconds: Int64
    /// The instance's outcomes since it started (successes, failures, rejections), so that two reports
    /// give its rates; zero in reports of instances that predate them.
    public var totals: CircuitBreakerOutcomeCounts

    init?(_ text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 4 || parts.count == 7, let state = SharedBreakerSnapshot.state(named: String(parts[0])),
            let successes = UInt64(parts[1]), let failures = UInt64(parts[2]), let at = Int64(parts[3])
        else { return nil }
        localState = state
        self.successes = successes
        self.failures = failures
        reportedAtMilliseconds = at
        totals = CircuitBreakerOutcomeCounts()
        if parts.count == 7 {
            guard let totalSuccesses = UInt64(parts[4]), let totalFailures = UInt64(parts[5]), let rejections = UInt64(parts[6]) else {
                return nil
            }
            totals = CircuitBreakerOutcomeCounts(successes: totalSuccesses, failures: totalFailures, rejections: rejections)
        }
    }
}
