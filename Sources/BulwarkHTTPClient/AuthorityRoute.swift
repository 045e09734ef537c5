import NIOCore
import Resilience

/// The policies and the pause of one authority: its pipeline (shared breaker included) from `Bulwark`,
/// a retry that reports its retries, and the authority's retry budget.
struct AuthorityRoute: Sendable {
    let authority: HTTPAuthority
    let pipeline: PolicyPipeline
    /// The pipeline's retry, rebuilt to report each retry as a ``ResilientHTTPClientEvent``.
    let retry: RetryPolicy?
    let pause: AuthorityPause

    /// The budget that retries and hedges draw from.
    var budget: RetryBudget? { retry?.configuration.budget }

    /// Runs `attempt` through the pipeline's policies in Bulwark's order, retrying only when `retryable`:
    /// rate limiter → bulkhead → total timeout → retry → (`attempt`: pause → breaker → attempt deadline).
    ///
    /// The total timeout costs no task of its own (a `TimeoutPolicy` would add one per request, which W11 shows as
    /// most of the client's overhead): every attempt's deadline is at most `deadline`, and the retry, whose
    /// `maxElapsed` is the total timeout, starts no wait that would end past it.
    ///
    /// Each policy honours its kill switch (`PolicyPipeline/switches`), and the call is the pipeline's span when
    /// the pipeline traces, as in `PolicyPipeline/execute(retryingResult:_:)`.
    func run<T: Sendable>(retryable: Bool, _ attempt: @Sendable @escaping () async throws -> T) async throws -> T {
        try await pipeline.traced {
            let switches = pipeline.switches
            if let rateLimiter = pipeline.rateLimiter, switches.isOn(.rateLimiter) { try rateLimiter.check() }
            guard let bulkhead = pipeline.bulkhead, switches.isOn(.bulkhead) else { return try await retrying(retryable, attempt) }
            return try await bulkhead.execute { try await retrying(retryable, attempt) }
        }
    }

    private func retrying<T: Sendable>(_ retryable: Bool, _ attempt: @Sendable () async throws -> T) async throws -> T {
        guard retryable, let retry, pipeline.switches.isOn(.retry) else { return try await attempt() }
        return try await retry.execute { try await attempt() }
    }

    /// Whether the client may hedge this call (the pipeline's hedging switch is on).
    var hedgingIsOn: Bool { pipeline.switches.isOn(.hedging) }

    /// The end of a call starting now: the total timeout from now, none without one (or with timeouts switched off).
    var callDeadline: NIODeadline {
        guard let total = pipeline.totalTimeout?.timeout, pipeline.switches.isOn(.timeout) else { return .distantFuture }
        return .now() + Self.timeAmount(total)
    }

    /// One attempt: refused at once while the authority is paused (not counted by the breaker) or when the call's
    /// deadline has passed, else through the breaker. The attempt timeout is `send`'s: AsyncHTTPClient's own
    /// deadline (``attemptDeadline(within:)``).
    func attempt<T: Sendable>(
        within deadline: NIODeadline,
        onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)?,
        _ send: @Sendable () async throws -> T
    ) async throws -> T {
        guard NIODeadline.now() < deadline else {
            throw ResilienceError(.timeout, message: "the total timeout of \(authority.name) passed before another attempt")
        }
        if let remaining = pause.remaining() {
            onEvent?(.refusedWhilePaused(authority: authority, remaining: remaining))
            throw ResilienceError(
                .rateLimited,
                message: "requests to \(authority.name) are paused by a Retry-After (this instance's or the fleet's)",
                retryAfter: remaining
            )
        }
        guard let breaker = pipeline.circuitBreaker, pipeline.switches.isOn(.breaker) else { return try await send() }
        return try await breaker.execute { try await send() }
    }

    /// The deadline of an attempt starting now: the attempt timeout from now, and never past the call's `deadline`.
    func attemptDeadline(within deadline: NIODeadline) -> NIODeadline {
        guard let timeout = pipeline.attemptTimeout?.timeout, pipeline.switches.isOn(.timeout) else { return deadline }
        return min(.now() + Self.timeAmount(timeout), deadline)
    }

    private static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        guard seconds < 1_000_000_000 else { return .hours(24 * 365) }
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
