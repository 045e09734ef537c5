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

    init?(_ text: String) {
        let parts = text.split(separator: " ")
        guard parts.count == 4, let state = SharedBreakerSnapshot.state(named: String(parts[0])),
            let successes = UInt64(parts[1]), let failures = UInt64(parts[2]), let at = Int64(parts[3])
        else { return nil }
        localState = state
        self.successes = successes
        self.failures = failures
        reportedAtMilliseconds = at
    }
}
