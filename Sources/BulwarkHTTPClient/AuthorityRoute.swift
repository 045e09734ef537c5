import Resilience

/// The policies and the pause of one authority: its pipeline (shared breaker included) from ``Bulwark/Bulwark``,
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
    /// rate limiter → bulkhead → total timeout → retry → (`attempt`: pause → breaker → attempt timeout).
    func run<T: Sendable>(retryable: Bool, _ attempt: @Sendable () async throws -> T) async throws -> T {
        try pipeline.rateLimiter?.check()
        guard let bulkhead = pipeline.bulkhead else { return try await withinTotalTimeout(retryable, attempt) }
        return try await bulkhead.execute { try await withinTotalTimeout(retryable, attempt) }
    }

    private func withinTotalTimeout<T: Sendable>(_ retryable: Bool, _ attempt: @Sendable () async throws -> T) async throws -> T {
        guard let totalTimeout = pipeline.totalTimeout else { return try await retrying(retryable, attempt) }
        return try await totalTimeout.execute { try await retrying(retryable, attempt) }
    }

    private func retrying<T: Sendable>(_ retryable: Bool, _ attempt: @Sendable () async throws -> T) async throws -> T {
        guard retryable, let retry else { return try await attempt() }
        return try await retry.execute { try await attempt() }
    }

    /// One attempt: refused at once while the authority is paused (not counted by the breaker), else through the
    /// breaker and the attempt timeout.
    func attempt<T: Sendable>(onEvent: (@Sendable (ResilientHTTPClientEvent) -> Void)?, _ send: @Sendable () async throws -> T) async throws -> T {
        if let remaining = pause.remaining() {
            onEvent?(.refusedWhilePaused(authority: authority, remaining: remaining))
            throw ResilienceError(
                .rateLimited,
                message: "requests to \(authority.name) are paused by a Retry-After (this instance's or the fleet's)",
                retryAfter: remaining
            )
        }
        guard let breaker = pipeline.circuitBreaker else { return try await withinAttemptTimeout(send) }
        return try await breaker.execute { try await withinAttemptTimeout(send) }
    }

    private func withinAttemptTimeout<T: Sendable>(_ send: @Sendable () async throws -> T) async throws -> T {
        guard let attemptTimeout = pipeline.attemptTimeout else { return try await send() }
        return try await attemptTimeout.execute(send)
    }
}
