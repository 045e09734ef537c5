/// The stable names of the metrics and log events of the resilience policies.
///
/// These are an interface: dashboards and alerts depend on them, so they do not change.
public enum ResilienceTelemetryNames {
    /// Gauge, dimension `breaker`: 0 closed, 1 open, 2 half-open, 3 isolated, 4 disabled
    /// (``CircuitBreakerState``'s raw value). Set when the breaker is created — so it exists while
    /// closed — and on every transition.
    public static let breakerState = "bulwark_breaker_state"
    /// Counter, dimensions `breaker`, `from`, `to`: transitions.
    public static let breakerTransitions = "bulwark_breaker_transitions_total"
    /// Counter, dimension `breaker`: calls rejected while open, isolated or without a probe permit.
    public static let breakerRejections = "bulwark_breaker_rejections_total"
    /// Counter, dimensions `retry`, `kind`: retries made, by the kind of the failure retried.
    public static let retryAttempts = "bulwark_retry_attempts_total"
    /// Counter, dimensions `retry`, `reason`: calls that stopped retrying (`attempts`, `elapsed`, `budget`, `not-retryable`, `cancelled`, `would-wait`).
    public static let retryGaveUp = "bulwark_retry_gave_up_total"
    /// Counter, dimension `timeout`: calls that timed out.
    public static let timeouts = "bulwark_timeouts_total"
    /// Counter, dimensions `bulkhead`, `reason` (`queue-full`, `queue-timeout`): rejected calls.
    public static let bulkheadRejections = "bulwark_bulkhead_rejections_total"
    /// Gauge, dimension `limiter`: the current limit of an ``AdaptiveConcurrencyLimiter``, set when it is
    /// created and whenever one of its sampling windows closes.
    public static let adaptiveConcurrencyLimit = "bulwark_adaptive_concurrency_limit"
    /// Counter, dimension `limiter`: calls an ``AdaptiveConcurrencyLimiter`` rejected because its limit was reached.
    public static let adaptiveConcurrencyRejections = "bulwark_adaptive_concurrency_rejections_total"
    /// Counter, dimension `limiter`: calls refused by a rate limiter.
    public static let rateLimiterRejections = "bulwark_rate_limiter_rejections_total"
    /// Counter, dimensions `fallback`, `kind`: calls answered by a fallback.
    public static let fallbacks = "bulwark_fallbacks_total"

    /// Log event (metadata `event`): a breaker changed state.
    public static let breakerTransitionEvent = "breaker.transition"
    /// Log event: a breaker proposed a transition to its authority.
    public static let breakerProposalEvent = "breaker.proposal"
    /// Log event: a retry is about to wait and try again.
    public static let retryEvent = "retry.attempt"
    /// Log event: a call timed out.
    public static let timeoutEvent = "timeout.expired"
    /// Log event: a bulkhead rejected a call.
    public static let bulkheadRejectionEvent = "bulkhead.rejected"
    /// Log event: an adaptive concurrency limiter rejected a call.
    public static let adaptiveConcurrencyRejectionEvent = "adaptive-concurrency.rejected"
    /// Log event (debug): an adaptive concurrency limiter's limit changed.
    public static let adaptiveConcurrencyLimitEvent = "adaptive-concurrency.limit"
    /// Log event: a rate limiter refused a call.
    public static let rateLimiterRejectionEvent = "rate-limiter.rejected"
    /// Log event: a fallback answered a call.
    public static let fallbackEvent = "fallback.used"
}
