import CoreMetrics
import Prometheus

/// The process's Prometheus registry, installed as the swift-metrics backend the first time it is used,
/// so that every `Counter`, `Gauge` and `Timer` of every module lands on `GET /metrics`.
public enum ServiceMetrics {
    /// The registry `GET /metrics` renders.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        let latencyBuckets: [Duration] = [
            .microseconds(100), .microseconds(250), .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
            .milliseconds(10), .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.defaultDurationHistogramBuckets = latencyBuckets
        MetricsSystem.bootstrap(factory)
        return registry
    }()

    /// Installs the registry as the metrics backend, once per process; later calls do nothing.
    public static func bootstrap() {
        _ = registry
    }

    /// The exposition text of every metric.
    static func render() -> [UInt8] {
        registry.emitToBuffer()
    }
}
