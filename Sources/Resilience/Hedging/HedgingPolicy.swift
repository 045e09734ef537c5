import Logging
import Metrics
import Tracing

/// Sends a slow or failed call again, in parallel, and takes the first value: Polly v8's hedging, with a
/// budget so that hedging cannot multiply the load on a dependency in trouble.
///
/// **For idempotent operations only**: several attempts of the same call may run at once and more than one may
/// reach the dependency before the others are cancelled. The operation receives its attempt number (1 for the
/// primary, 2 and on for the hedges), for example to send each attempt to another replica.
///
/// How ``execute(_:)`` proceeds:
/// - The primary is launched at once. Before each further attempt the policy asks its ``HedgingDelay``
///   (see ``HedgingDelayProvider``): a **positive** delay launches the next attempt once the ones in flight have
///   run that long without a value (a slow call is hedged); **zero** launches every attempt at once; a
///   **negative** delay launches the next only after one failed (a sequential fallback). A failure that the
///   policy hedges (``HedgingConfiguration/shouldHedge``; by default the
///   ``ResilienceError/Code-swift.struct/dependencyFailures``) launches the next attempt at once in every mode.
/// - At most ``HedgingConfiguration/maxHedgedAttempts`` attempts are launched besides the primary, each only if
///   the ``HedgingBudget`` has a token.
/// - **The first value wins**: the call returns it, and every other attempt is cancelled; the call returns
///   once they have ended (the attempts are child tasks of the call, so work that ignores cancellation holds
///   the call up).
/// - A failure that is not hedged (not-found, a breaker's or a bulkhead's rejection, cancellation) launches no
///   further attempt, but the attempts in flight go on: a hedge that a breaker rejects does not cancel a
///   primary that may still succeed. (Polly returns such a failure at once.)
/// - **When every attempt launched has failed** and no more may be launched, the call throws **the primary's
///   failure** (what attempt 1 threw), whatever the hedges threw.
/// - When the caller is cancelled, every attempt is cancelled, no more are launched, and the call throws
///   `CancellationError` unless an attempt still returned a value.
///
/// In a ``ResiliencePipeline`` hedging sits inside the retry and outside the circuit breaker, as in Polly's
/// standard hedging handler: each attempt goes through the breaker and the attempt timeout, the total timeout
/// bounds every attempt together, and a retry, if any, tries the whole hedged call again.
///
/// ```swift
/// let hedging = try HedgingPolicy(
///     configuration: HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.milliseconds(20)))
/// )
/// let price = try await hedging.execute { attempt in try await replicas[attempt % replicas.count].price(of: item) }
/// ```
public struct HedgingPolicy: Sendable {
    /// The name, used in events, logs and metrics.
    public let name: String
    /// The configuration.
    public let configuration: HedgingConfiguration
    let clock: any ResilienceClock
    private let telemetry: ResilienceTelemetry
    private let onEvent: (@Sendable (HedgingEvent) -> Void)?
    private let launchedCounter: Counter
    private let wonCounter: Counter
    private let budgetCounter: Counter

    /// Creates a hedging policy.
    /// - Parameters:
    ///   - name: The name; `hedging` by default.
    ///   - configuration: How to hedge.
    ///   - clock: The clock the delays are measured on; the system clock by default.
    ///   - telemetry: Where logs and metrics go.
    ///   - onEvent: Called when a hedge is launched, when one wins and when the budget refuses one.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` when the
    ///   configuration is invalid.
    public init(
        name: String = "hedging",
        configuration: HedgingConfiguration = HedgingConfiguration(),
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry(),
        onEvent: (@Sendable (HedgingEvent) -> Void)? = nil
    ) throws(ResilienceError) {
        try configuration.validate()
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.telemetry = telemetry
        self.onEvent = onEvent
        launchedCounter = telemetry.counter(ResilienceTelemetryNames.hedgingAttempts, [("hedging", name)])
        wonCounter = telemetry.counter(ResilienceTelemetryNames.hedgingWins, [("hedging", name)])
        budgetCounter = telemetry.counter(ResilienceTelemetryNames.hedgingBudgetExhausted, [("hedging", name)])
    }

    /// Reports that hedged attempt `attempt` is being launched.
    func reportLaunched(_ attempt: Int) {
        launchedCounter.increment()
        telemetry.logger.debug(
            "launching a hedged attempt",
            metadata: ["event": "\(ResilienceTelemetryNames.hedgingLaunchedEvent)", "hedging.name": "\(name)", "hedging.attempt": "\(attempt)"]
        )
        onEvent?(HedgingEvent(policy: name, kind: .launched, attempt: attempt, at: clock.now))
        addSpanEvent(ResilienceTelemetryNames.hedgingLaunchedSpanEvent, attempt: attempt)
    }

    /// Reports that hedged attempt `attempt` returned the call's value.
    func reportWon(_ attempt: Int) {
        wonCounter.increment()
        onEvent?(HedgingEvent(policy: name, kind: .won, attempt: attempt, at: clock.now))
        addSpanEvent(ResilienceTelemetryNames.hedgingWonSpanEvent, attempt: attempt)
    }

    /// Reports that the budget refused attempt `attempt`.
    func reportBudgetExhausted(_ attempt: Int) {
        budgetCounter.increment()
        telemetry.logger.debug(
            "hedging budget exhausted",
            metadata: [
                "event": "\(ResilienceTelemetryNames.hedgingBudgetExhaustedEvent)", "hedging.name": "\(name)", "hedging.attempt": "\(attempt)",
            ]
        )
        onEvent?(HedgingEvent(policy: name, kind: .budgetExhausted, attempt: attempt, at: clock.now))
        addSpanEvent(ResilienceTelemetryNames.hedgingBudgetExhaustedSpanEvent, attempt: attempt)
    }

    private func addSpanEvent(_ event: String, attempt: Int) {
        PipelineSpan.addEvent(event, ["bulwark.hedging.name": "\(name)", "bulwark.hedging.attempt": .int(Int64(attempt))])
    }
}
