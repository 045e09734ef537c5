/// Why a circuit breaker changed state, or proposes to.
public enum CircuitBreakerTransitionReason: String, Sendable, Hashable, CustomStringConvertible {
    /// The consecutive-failure count or the failure ratio reached its threshold.
    case failureThreshold = "failure-threshold"
    /// The slow-call ratio reached its threshold.
    case slowCallThreshold = "slow-call-threshold"
    /// The break elapsed: time to probe.
    case breakElapsed = "break-elapsed"
    /// Enough probes succeeded.
    case probesSucceeded = "probes-succeeded"
    /// A probe failed.
    case probeFailed = "probe-failed"
    /// Half-open lasted longer than its maximum wait (a probe hung).
    case halfOpenTimeout = "half-open-timeout"
    /// An operator isolated, disabled, closed or reset the breaker.
    case manual
    /// The external authority applied a state decided elsewhere.
    case authority
    /// A local view and the authority's were merged after the authority came back.
    case merge

    /// The stable name, such as `failure-threshold`.
    public var description: String { rawValue }
}
