/// The values of a ``PolicyPipeline``: which policies a dependency gets and how each is set.
///
/// Bulwark names five presets (``standard``, ``llmProvider``, ``database``, ``externalAPI``,
/// ``messageQueue``); start from one, or build your own. Every field is optional: a `nil` policy is not in
/// the pipeline. ``validate()`` refuses what cannot work, naming the field, as Polly's handler does at
/// start-up: an attempt timeout longer than the total timeout, a breaker window shorter than two attempt
/// timeouts, and every policy's own invariants.
///
/// ```swift
/// let profile = ResilienceProfile(retry: .retries(2), circuitBreaker: .consecutiveFailures(3, breakFor: .seconds(10)), timeout: .seconds(1))
/// let pipeline = try profile.pipeline(named: "payments")
/// ```
public struct ResilienceProfile: Sendable {
    /// The retry; `nil` for none.
    public var retry: RetryConfiguration?
    /// The circuit breaker; `nil` for none.
    public var circuitBreaker: CircuitBreakerConfiguration?
    /// The timeout of each attempt, inside the breaker (a hang counts as a failure); `nil` for none.
    public var timeout: Duration?
    /// The timeout of the whole call, retries and their waits included; `nil` for none.
    public var totalTimeout: Duration?
    /// The bulkhead limiting calls at once; `nil` for none.
    public var bulkhead: BulkheadConfiguration?

    /// Creates a profile; every policy is absent unless given.
    /// - Parameters:
    ///   - retry: The retry.
    ///   - circuitBreaker: The circuit breaker.
    ///   - timeout: The attempt timeout.
    ///   - totalTimeout: The total timeout.
    ///   - bulkhead: The bulkhead.
    public init(
        retry: RetryConfiguration? = nil,
        circuitBreaker: CircuitBreakerConfiguration? = nil,
        timeout: Duration? = nil,
        totalTimeout: Duration? = nil,
        bulkhead: BulkheadConfiguration? = nil
    ) {
        self.retry = retry
        self.circuitBreaker = circuitBreaker
        self.timeout = timeout
        self.totalTimeout = totalTimeout
        self.bulkhead = bulkhead
    }

    /// Checks every field and how they fit together.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` whose message
    ///   starts with the field at fault (`timeout`, `circuitBreaker.window`, …).
    public func validate() throws(ResilienceError) {
        func fail(_ field: String, _ message: String) -> ResilienceError {
            ResilienceError(.badRequest, message: "\(field): \(message)")
        }
        if let timeout, timeout <= .zero { throw fail("timeout", "must be positive") }
        if let totalTimeout, totalTimeout <= .zero { throw fail("totalTimeout", "must be positive") }
        if let timeout, let totalTimeout, timeout > totalTimeout {
            throw fail("timeout", "the attempt timeout (\(timeout)) must not exceed totalTimeout (\(totalTimeout))")
        }
        do { try retry?.validate() } catch { throw fail("retry", error.message ?? "\(error.code)") }
        do { try circuitBreaker?.validate() } catch { throw fail("circuitBreaker", error.message ?? "\(error.code)") }
        do { try bulkhead?.validate() } catch { throw fail("bulkhead", error.message ?? "\(error.code)") }
        if let timeout, let breaker = circuitBreaker, breaker.failureThreshold.failureRatio != nil, let window = breaker.window.duration,
            window < timeout * 2
        {
            throw fail("circuitBreaker.window", "the sampling window (\(window)) must be at least twice the attempt timeout (\(timeout))")
        }
    }

    /// A pipeline of this profile's policies, in the one order of ``PolicyPipeline``.
    /// - Parameters:
    ///   - name: The pipeline's name, also given to each policy for its logs and metrics.
    ///   - circuitBreaker: The breaker to use, such as a shared one from a registry; when `nil` and the profile
    ///     has a breaker, a local one is made from ``circuitBreaker``.
    ///   - clock: The clock of every policy; the system clock by default.
    ///   - telemetry: Where the policies' logs and metrics, and the pipeline's spans, go.
    ///   - switches: The kill switches, such as the fleet-wide ones `PolicySwitchboard` hands out; every policy
    ///     on by default.
    /// - Returns: The pipeline.
    /// - Throws: ``ResilienceError`` when the profile is invalid (see ``validate()``).
    public func pipeline(
        named name: String,
        circuitBreaker: CircuitBreaker? = nil,
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        switches: PolicySwitches = PolicySwitches()
    ) throws(ResilienceError) -> PolicyPipeline {
        try validate()
        var breaker = circuitBreaker
        if breaker == nil, let configuration = self.circuitBreaker {
            breaker = try CircuitBreaker(name: name, configuration: configuration, clock: clock, telemetry: telemetry)
        }
        var bulkhead: Bulkhead?
        if let configuration = self.bulkhead {
            bulkhead = try Bulkhead(name: name, configuration: configuration, clock: clock, telemetry: telemetry)
        }
        var retry: RetryPolicy?
        if let configuration = self.retry {
            retry = try RetryPolicy(name: name, configuration: configuration, clock: clock, telemetry: telemetry)
        }
        return PolicyPipeline(
            name: name,
            bulkhead: bulkhead,
            totalTimeout: totalTimeout.map { TimeoutPolicy(name: "\(name).total", timeout: $0, clock: clock, telemetry: telemetry) },
            retry: retry,
            circuitBreaker: breaker,
            attemptTimeout: timeout.map { TimeoutPolicy(name: name, timeout: $0, clock: clock, telemetry: telemetry) },
            telemetry: telemetry,
            switches: switches
        )
    }
}
