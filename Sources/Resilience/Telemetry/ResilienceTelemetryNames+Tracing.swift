extension ResilienceTelemetryNames {
    /// Span (kind internal): one call through a ``PolicyPipeline`` whose telemetry has a tracer, every retry and
    /// hedge included. Attribute ``pipelineNameAttribute``; on failure the span's status is an error and
    /// ``errorTypeAttribute`` holds the failure's ``ResilienceError/Code-swift.struct``.
    public static let pipelineSpan = "bulwark.pipeline"
    /// Span attribute: the pipeline's name.
    public static let pipelineNameAttribute = "bulwark.pipeline.name"
    /// Span and event attribute (OpenTelemetry's `error.type`): the ``ResilienceError/Code-swift.struct`` of a
    /// failure, such as `timeout` or `breaker-open`; never the error's message.
    public static let errorTypeAttribute = "error.type"

    /// Span event: a retry is about to wait and try again. Attributes `bulwark.retry.name`, `bulwark.retry.attempt`
    /// (the attempt about to be made: 2 for the first retry), `bulwark.retry.delay_ms` and ``errorTypeAttribute``
    /// (`result` when a returned value is retried).
    public static let retrySpanEvent = "bulwark.retry"
    /// Span event: the retry stopped with the last failure. Attributes `bulwark.retry.name` and `bulwark.retry.reason`
    /// (the `reason` dimension of ``retryGaveUp``).
    public static let retryGaveUpSpanEvent = "bulwark.retry.gave_up"
    /// Span event: a hedged attempt was launched. Attributes `bulwark.hedging.name` and `bulwark.hedging.attempt` (2 for
    /// the first hedge).
    public static let hedgingLaunchedSpanEvent = "bulwark.hedging.launched"
    /// Span event: a hedged attempt returned the call's value; same attributes.
    public static let hedgingWonSpanEvent = "bulwark.hedging.won"
    /// Span event: the hedging budget refused a hedge; same attributes, the attempt being the one refused.
    public static let hedgingBudgetExhaustedSpanEvent = "bulwark.hedging.budget_exhausted"
    /// Span event: a circuit breaker rejected an attempt. Attributes `bulwark.breaker.name` and `bulwark.breaker.state`
    /// (the state that rejected it, such as `open`).
    public static let breakerRejectedSpanEvent = "bulwark.breaker.rejected"
}
