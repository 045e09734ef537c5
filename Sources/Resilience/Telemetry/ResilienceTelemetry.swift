import Logging
import Metrics

/// Where policies send their logs and metrics: a `Logger` and a metrics factory.
///
/// Policies log transitions, retries and rejections at `info` or below with dotted metadata keys
/// (`breaker.name`, `retry.attempt`) and name their metrics from ``ResilienceTelemetryNames``.
/// Metric objects are created once per policy (per transition pair for breaker transitions), never per call.
public struct ResilienceTelemetry: Sendable {
    /// The logger.
    public var logger: Logger
    /// The metrics factory; the bootstrapped global one by default.
    public var metricsFactory: any MetricsFactory

    /// Creates telemetry.
    /// - Parameters:
    ///   - logger: The logger; label `bulwark.resilience` by default.
    ///   - metricsFactory: The metrics factory; `MetricsSystem.factory` when `nil`.
    public init(logger: Logger = Logger(label: "bulwark.resilience"), metricsFactory: (any MetricsFactory)? = nil) {
        self.logger = logger
        self.metricsFactory = metricsFactory ?? MetricsSystem.factory
    }

    func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        Counter(label: label, dimensions: dimensions, factory: metricsFactory)
    }

    func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        Gauge(label: label, dimensions: dimensions, factory: metricsFactory)
    }
}
