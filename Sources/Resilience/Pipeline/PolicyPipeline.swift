import Tracing

/// The policies of a call in Bulwark's one order, for operations of any result type.
///
/// Outermost first, whichever of them are present:
///
/// **rate limiter → bulkhead → total timeout → retry → hedging → circuit breaker → attempt timeout → operation**
///
/// (and a ``FallbackPolicy``, when a ``ResiliencePipeline`` has one, around them all). Why this order:
/// - the **rate limiter** and the **bulkhead** come first: a call refused for load costs nothing, holds no
///   timer, and is neither retried nor counted by the breaker. An ``AdaptiveConcurrencyLimiter`` sits with each
///   attempt, just outside the breaker, so that it learns from attempts' latencies and not from retries' waits;
///   its refusal is not retried by default either;
/// - the **total timeout** bounds the whole call, waits between retries included, and the retry never starts
///   a wait that would end past it: it gives up at once with the last failure instead;
/// - each **retry** goes through the **circuit breaker**, so an open breaker ends the retries: its rejection is
///   not a ``ResilienceError/Code-swift.struct/dependencyFailures`` kind and is not retried by default;
/// - the **attempt timeout** is inside the breaker, so a dependency that hangs counts as failing.
///
/// The same order as Polly's standard resilience handler (rate limiter → total timeout → retry → breaker →
/// attempt timeout). ``ResiliencePipelineBuilder`` and every ``ResilienceProfile`` build this order.
///
/// ```swift
/// let payments = PolicyPipeline(
///     name: "payments",
///     retry: try RetryPolicy(configuration: .retries(2)),
///     circuitBreaker: breaker,
///     attemptTimeout: TimeoutPolicy(timeout: .seconds(1))
/// )
/// let receipt = try await payments.execute { try await gateway.charge(order) }
/// ```
public struct PolicyPipeline: Sendable {
    /// The name.
    public let name: String
    /// Refuses calls over a rate, before anything else.
    public let rateLimiter: (any RateLimiter)?
    /// Limits the calls running at once; a call holds its slot through every retry.
    public let bulkhead: Bulkhead?
    /// Limits the attempts running at once to a limit it finds from their latency; just outside the breaker.
    public let adaptiveConcurrency: AdaptiveConcurrencyLimiter?
    /// Bounds the whole call, retries and waits included.
    public let totalTimeout: TimeoutPolicy?
    /// Runs failed attempts again.
    public let retry: RetryPolicy?
    /// Stops calling a dependency that keeps failing; every attempt goes through it.
    public let circuitBreaker: CircuitBreaker?
    /// Bounds each attempt; the breaker counts its expiry as a failure.
    public let attemptTimeout: TimeoutPolicy?
    /// The kill switches: a switched-off policy passes calls straight through (see ``PolicyKind``).
    public let switches: PolicySwitches
    /// Runs each call in a span when set (see ``ResilienceTelemetry/tracer``); `nil`, no tracing.
    public let tracer: (any Tracer)?

    /// Creates a pipeline; the parameters are in the order the policies run, and every one is optional.
    /// - Parameters:
    ///   - name: The name.
    ///   - rateLimiter: The rate limiter.
    ///   - bulkhead: The bulkhead.
    ///   - adaptiveConcurrency: The adaptive concurrency limiter.
    ///   - totalTimeout: The timeout of the whole call.
    ///   - retry: The retry.
    ///   - circuitBreaker: The circuit breaker.
    ///   - attemptTimeout: The timeout of each attempt.
    ///   - telemetry: Where the pipeline's spans go: its ``ResilienceTelemetry/tracer``, by default the
    ///     bootstrapped one if any (none: no tracing).
    ///   - switches: The kill switches; every policy on, and switched by nobody else, by default.
    public init(
        name: String,
        rateLimiter: (any RateLimiter)? = nil,
        bulkhead: Bulkhead? = nil,
        adaptiveConcurrency: AdaptiveConcurrencyLimiter? = nil,
        totalTimeout: TimeoutPolicy? = nil,
        retry: RetryPolicy? = nil,
        circuitBreaker: CircuitBreaker? = nil,
        attemptTimeout: TimeoutPolicy? = nil,
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        switches: PolicySwitches = PolicySwitches()
    ) {
        tracer = telemetry.tracer
        self.name = name
        self.rateLimiter = rateLimiter
        self.bulkhead = bulkhead
        self.adaptiveConcurrency = adaptiveConcurrency
        self.totalTimeout = totalTimeout
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.attemptTimeout = attemptTimeout
        self.switches = switches
    }

    /// How many policies the pipeline runs.
    public var count: Int {
        let present: [Bool] = [
            rateLimiter != nil, bulkhead != nil, adaptiveConcurrency != nil, totalTimeout != nil, retry != nil, circuitBreaker != nil,
            attemptTimeout != nil,
        ]
        return present.filter { $0 }.count
    }

    /// Runs `operation` through every policy, outermost first.
    ///
    /// On the way through, the policies are applied inline rather than as closures wrapped in closures, so that a
    /// call that nothing stops costs one frame per policy at most (see the `policies` benchmark).
    /// Each present policy first checks its kill switch in ``switches`` (one atomic load); a switched-off one
    /// passes the call straight through.
    /// - Parameters:
    ///   - shouldRetryResult: Which returned values the retry tries again (such as a "try later" answer); none by default.
    ///   - operation: The call.
    /// - Returns: What the call returned.
    /// - Throws: A ``ResilienceError`` for the policies' own rejections and timeouts, else what the call threw last.
    @inlinable
    public func execute<T: Sendable>(
        retryingResult shouldRetryResult: (@Sendable (T) -> Bool)? = nil,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        // Untraced, the one test on the call's path: no span, no task-local, nothing allocated.
        if let tracer { return try await executeTraced(by: tracer, retryingResult: shouldRetryResult, operation) }
        return try await executeUntraced(shouldRetryResult, operation)
    }

    @inlinable @inline(__always)
    func executeUntraced<T: Sendable>(
        _ shouldRetryResult: (@Sendable (T) -> Bool)?,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        if let rateLimiter, switches.isOn(.rateLimiter) { try rateLimiter.check() }
        guard let bulkhead, switches.isOn(.bulkhead) else { return try await withinTotalTimeout(shouldRetryResult, operation) }
        try await bulkhead.enter()
        defer { bulkhead.release() }
        return try await withinTotalTimeout(shouldRetryResult, operation)
    }

    @inlinable @inline(__always)
    func withinTotalTimeout<T: Sendable>(
        _ shouldRetryResult: (@Sendable (T) -> Bool)?,
        _ operation: @Sendable () async throws -> T
    ) async throws -> T {
        guard let totalTimeout, switches.isOn(.timeout) else { return try await retrying(shouldRetryResult, operation) }
        return try await totalTimeout.execute { try await retrying(shouldRetryResult, operation) }
    }

    /// The retry's first attempt runs inline; only a failed call pays for the retry loop's closure.
    @inlinable @inline(__always)
    func retrying<T: Sendable>(_ shouldRetryResult: (@Sendable (T) -> Bool)?, _ operation: @Sendable () async throws -> T) async throws -> T {
        guard let retry, switches.isOn(.retry) else { return try await attempt(operation) }
        let start = retry.begin()
        let first: Result<T, any Error>
        do {
            let value = try await attempt(operation)
            guard let shouldRetryResult, shouldRetryResult(value) else { return value }
            first = .success(value)
        } catch {
            first = .failure(error)
        }
        return try await retry.retry(after: first, start: start, retryingResult: shouldRetryResult) { try await attempt(operation) }
    }

    /// One attempt: the adaptive limiter learns from each attempt's latency, not from the retries' waits.
    @inlinable @inline(__always)
    func attempt<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        guard let adaptiveConcurrency, switches.isOn(.bulkhead) else { return try await guarded(operation) }
        return try await adaptiveConcurrency.execute { try await guarded(operation) }
    }

    @inlinable @inline(__always)
    func guarded<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        guard let circuitBreaker, switches.isOn(.breaker) else { return try await withinAttemptTimeout(operation) }
        let permit = try await circuitBreaker.admit()
        let value: T
        do {
            value = try await withinAttemptTimeout(operation)
        } catch {
            await circuitBreaker.recordFailure(permit, reporting: error)
            throw error
        }
        circuitBreaker.recordSuccess(permit)
        return value
    }

    @inlinable @inline(__always)
    func withinAttemptTimeout<T: Sendable>(_ operation: @Sendable () async throws -> T) async throws -> T {
        guard let attemptTimeout, switches.isOn(.timeout) else { return try await operation() }
        return try await attemptTimeout.execute(operation)
    }

    /// Runs a synchronous `operation` through every policy.
    ///
    /// Synchronous callers cannot wait: a bulkhead rejects instead of queueing, a retry retries only where its
    /// delay is zero, and a timeout checks its deadline when the call returns.
    /// - Parameters:
    ///   - shouldRetryResult: Which returned values the retry tries again; none by default.
    ///   - operation: The call.
    /// - Returns: What the call returned.
    /// - Throws: What the policies or the call threw.
    public func executeSync<T>(retryingResult shouldRetryResult: ((T) -> Bool)? = nil, _ operation: () throws -> T) throws -> T {
        if let rateLimiter, switches.isOn(.rateLimiter) { try rateLimiter.check() }
        guard let bulkhead, switches.isOn(.bulkhead) else { return try withinTotalTimeoutSync(shouldRetryResult, operation) }
        return try bulkhead.executeSync { try withinTotalTimeoutSync(shouldRetryResult, operation) }
    }

    private func withinTotalTimeoutSync<T>(_ shouldRetryResult: ((T) -> Bool)?, _ operation: () throws -> T) throws -> T {
        guard let totalTimeout, switches.isOn(.timeout) else { return try retryingSync(shouldRetryResult, operation) }
        return try totalTimeout.executeSync { try retryingSync(shouldRetryResult, operation) }
    }

    private func retryingSync<T>(_ shouldRetryResult: ((T) -> Bool)?, _ operation: () throws -> T) throws -> T {
        guard let retry, switches.isOn(.retry) else { return try attemptSync(operation) }
        return try retry.executeSync(retryingResult: shouldRetryResult) { try attemptSync(operation) }
    }

    private func attemptSync<T>(_ operation: () throws -> T) throws -> T {
        guard let adaptiveConcurrency, switches.isOn(.bulkhead) else { return try guardedSync(operation) }
        return try adaptiveConcurrency.executeSync { try guardedSync(operation) }
    }

    private func guardedSync<T>(_ operation: () throws -> T) throws -> T {
        guard let circuitBreaker, switches.isOn(.breaker) else { return try withinAttemptTimeoutSync(operation) }
        return try circuitBreaker.executeSync { try withinAttemptTimeoutSync(operation) }
    }

    private func withinAttemptTimeoutSync<T>(_ operation: () throws -> T) throws -> T {
        guard let attemptTimeout, switches.isOn(.timeout) else { return try operation() }
        return try attemptTimeout.executeSync(operation)
    }
}
