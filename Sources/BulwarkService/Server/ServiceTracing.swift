import Logging
import OTel
import ServiceLifecycle
import Synchronization
import Tracing

/// Exports the instance's spans (its Redis commands and its pipelines' calls) over OTLP/HTTP with swift-otel,
/// when ``ServiceConfiguration/otelEndpoint`` is set; without it, no tracer is installed and nothing is traced.
///
/// The standard `OTEL_*` variables refine the exporter once tracing is on (`OTEL_SERVICE_NAME`,
/// `OTEL_EXPORTER_OTLP_HEADERS`, `OTEL_TRACES_SAMPLER`, `OTEL_BSP_SCHEDULE_DELAY`,
/// `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, …); swift-otel reads them.
enum ServiceTracing {
    /// The process-wide tracer can be installed once; a second server in the same process is refused.
    private static let installed = Mutex(false)

    /// Installs the OTLP tracer as the process's tracer when `endpoint` is set.
    ///
    /// Call before the Redis client and the pipelines are created: they take the bootstrapped tracer when they
    /// are made. Run the returned service in the server's group, started first so that it stops last and
    /// flushes the spans of the requests that finished during the shutdown.
    /// - Parameters:
    ///   - endpoint: The OTLP/HTTP base URL (spans go to `<endpoint>/v1/traces`), or `nil` for no tracing.
    ///   - logger: Where swift-otel's diagnostics go.
    /// - Returns: The exporter's service, or `nil` when tracing is off.
    /// - Throws: ``ServiceConfigurationError`` when the exporter cannot be set up or a tracer is already installed.
    static func bootstrap(endpoint: String?, logger: Logger) throws(ServiceConfigurationError) -> (any Service)? {
        guard let endpoint else { return nil }
        var configuration = OTel.Configuration.default
        configuration.serviceName = "bulwark"
        configuration.diagnosticLogger = .custom(logger)
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = .httpProtobuf
        configuration.traces.otlpExporter.endpoint = tracesURL(base: endpoint)
        let alreadyInstalled = installed.withLock { installed in
            defer { installed = true }
            return installed
        }
        guard !alreadyInstalled else {
            throw ServiceConfigurationError(message: "configuration key 'otelEndpoint': a tracer is already installed in this process")
        }
        do {
            let backend = try OTel.makeTracingBackend(configuration: configuration)
            InstrumentationSystem.bootstrap(backend.factory)
            // Validated without credentials (see the key); the log handler escapes it like every other value.
            logger.info("exporting spans over OTLP/HTTP", metadata: ["otel.endpoint": "\(configuration.traces.otlpExporter.endpoint)"])
            return backend.service
        } catch {
            throw ServiceConfigurationError(message: "configuration key 'otelEndpoint': cannot set up the span exporter: \(error)")
        }
    }

    /// Where OTLP/HTTP wants spans: the base URL followed by `v1/traces`, as for `OTEL_EXPORTER_OTLP_ENDPOINT`.
    static func tracesURL(base: String) -> String {
        (base.hasSuffix("/") ? base : base + "/") + "v1/traces"
    }
}
