import Hummingbird
import Logging
import RedisClient
import ServiceLifecycle
import UnixSignals

/// `bulwark serve`: one service instance — HTTP API, dashboard and the shared-state machinery — run until
/// SIGTERM or SIGINT, then shut down gracefully: stop accepting, finish in-flight requests, flush breaker
/// outcomes, leave the instance list.
public struct BulwarkServer: Sendable {
    /// The configuration to run with.
    public let configuration: ServiceConfiguration

    /// Creates a server; nothing starts until ``run()``.
    public init(configuration: ServiceConfiguration) {
        self.configuration = configuration
    }

    /// Runs until a shutdown signal.
    /// - Throws: ``ServiceConfigurationError`` for a configuration the service cannot start with, or what
    ///   the HTTP server throws (for example when the port is taken).
    public func run() async throws {
        ServiceLogging.bootstrap(level: configuration.logLevel)
        let logger = Logger(label: "bulwark")
        // Before the components: the Redis client takes the bootstrapped tracer when it is made.
        let tracing = try ServiceTracing.bootstrap(endpoint: configuration.otelEndpoint, logger: logger)
        // Read before anything starts: a bad route stops the start-up with the route and key named.
        let routes = try configuration.gatewayRoutesFile.map { file throws(ServiceConfigurationError) in try GatewayConfiguration.load(file: file) }
        let components = try ServiceComponents(configuration: configuration, logger: logger)
        let demo: [any Service] = configuration.demo ? [DemoTraffic(components: components, logger: logger)] : []
        let application = ServiceApplication.make(components: components, logger: logger, extraServices: demo) { port in
            await Self.announce(components: components, port: port, logger: logger)
        }
        // The exporter first, so that it stops last and sends the spans of the requests the shutdown let finish.
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = tracing.map { [.init(service: $0)] } ?? []
        if let routes {
            let gateway = try GatewayApplication.make(routes: routes, service: configuration, instanceID: components.instanceID, logger: logger) {
                port in
                logger.info("bulwark gateway listening", metadata: ["port": "\(port)", "routes": "\(routes.routes.count)"])
            }
            services.append(.init(service: gateway))
        }
        // Last in the group, so stopped first: the admin API goes before the gateway it reports on.
        services.append(.init(service: application))
        var groupConfiguration = ServiceGroupConfiguration(
            services: services,
            gracefulShutdownSignals: [.sigterm, .sigint],
            cancellationSignals: [],
            logger: logger
        )
        // Past this, what is still running is cancelled: a stuck request cannot hold the shutdown forever.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(configuration.shutdownGraceSeconds)
        try await ServiceGroup(configuration: groupConfiguration).run()
    }

    /// Says where the instance listens and whether shared state is in Redis or on the local fallback.
    private static func announce(components: ServiceComponents, port: Int, logger: Logger) async {
        let configuration = components.configuration
        var metadata: Logger.Metadata = [
            "instance": "\(components.instanceID)", "port": "\(port)", "demo": "\(configuration.demo)",
            "admin": "\(configuration.adminToken == nil ? "read-only (no admin token)" : "token required for changes")",
        ]
        do {
            _ = try await components.client.send("PING")
            logger.info("bulwark serving; shared state in Redis", metadata: metadata)
        } catch  where !error.failureKind.isUnreachable {
            // Redis answers but refuses us: /health says why; the registry logs Redis's own words once.
            metadata["redis.refusal"] = "\(error.failureKind)"
            logger.info("bulwark serving, not ready: Redis answers but rejects this instance until its configuration is fixed", metadata: metadata)
        } catch {
            metadata["redis.error"] = "\(error.code)"
            logger.warning(
                "bulwark serving on the local in-memory fallback: Redis is unreachable; it is used again when it returns",
                metadata: metadata
            )
        }
    }
}
