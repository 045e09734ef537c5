import Logging
import Metrics
import Tracing

/// Where policies send their logs, metrics and trace events: a `Logger`, a metrics factory and a tracer.
///
/// Policies log transitions, retries and rejections at `info` or below with dotted metadata keys
/// (`breaker.name`, `retry.attempt`) and name their metrics from ``ResilienceTelemetryNames``.
/// Metric objects are created once per policy (per transition pair for breaker transitions), never per call.
///
/// With a ``tracer``, a ``PolicyPipeline`` runs each call in a span (``ResilienceTelemetryNames/pipelineSpan``), and
/// the policies inside it add events to that span for retries, hedges and breaker rejections. Without one
/// (`nil`, the default unless a tracer is bootstrapped), nothing about tracing happens on a call's path: the
/// pipeline tests one optional and goes on.
public struct ResilienceTelemetry: Sendable {
    /// The logger.
    public var logger: Logger
    /// The metrics factory; the bootstrapped global one by default.
    public var metricsFactory: any MetricsFactory
    /// The tracer of the pipelines' spans, or `nil` for no tracing; the bootstrapped one by default, if any.
    public var tracer: (any Tracer)?

    /// Creates telemetry.
    /// - Parameters:
    ///   - logger: The logger; label `bulwark.resilience` by default.
    ///   - metricsFactory: The metrics factory; `MetricsSystem.factory` when `nil`.
    ///   - tracer: The tracer; by default ``bootstrappedTracer``, which is `nil` unless the application
    ///     bootstrapped `InstrumentationSystem` with a tracer. Pass `nil` to turn tracing off.
    public init(
        logger: Logger = Logger(label: "bulwark.resilience"),
        metricsFactory: (any MetricsFactory)? = nil,
        tracer: (any Tracer)? = ResilienceTelemetry.bootstrappedTracer
    ) {
        self.logger = logger
        self.metricsFactory = metricsFactory ?? MetricsSystem.factory
        self.tracer = tracer
    }

    /// The tracer bootstrapped with `InstrumentationSystem`, or `nil` when there is none (its `NoOpTracer`):
    /// read when telemetry is created, never per call.
    public static var bootstrappedTracer: (any Tracer)? {
        let tracer = InstrumentationSystem.tracer
        return tracer is NoOpTracer ? nil : tracer
    }

    func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        Counter(label: label, dimensions: dimensions, factory: metricsFactory)
    }

    func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        Gauge(label: label, dimensions: dimensions, factory: metricsFactory)
    }
}
