import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the Hummingbird application of one instance: routes, middleware and the services it runs.
public enum ServiceApplication {
    /// The application for `components`, ready for `run()` or Hummingbird's test client.
    /// - Parameters:
    ///   - components: The instance's stores.
    ///   - logger: The application's logger.
    ///   - extraServices: More services to run with the application (for example the demo traffic); they
    ///     stop before the stores do.
    ///   - onServerRunning: Told the port once the server listens.
    public static func make(
        components: ServiceComponents,
        logger: Logger,
        extraServices: [any Service] = [],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let configuration = components.configuration
        let health = HealthChecker(components: components)
        let router = Router(context: BulwarkRequestContext.self)
        // Middleware first: it wraps only the routes added after it. Metrics outermost, so they see the
        // status of error envelopes too.
        router.middlewares.add(HTTPMetricsMiddleware())
        router.middlewares.add(CorrelationMiddleware(mode: configuration.mode))
        router.middlewares.add(AdminAuthorizationMiddleware(token: configuration.adminToken))
        HealthRoutes(components: components, checker: health).register(on: router)
        MetricsRoutes(collector: MetricsCollector(components: components, health: health)).register(on: router)
        BreakerCommandRoutes(components: components).register(on: router)
        CacheRoutes(components: components).register(on: router)
        SessionRoutes(components: components).register(on: router)
        IdempotencyRoutes(components: components).register(on: router)
        DeadLetterRoutes(components: components).register(on: router)
        InstanceRoutes(components: components).register(on: router)
        let feed = BreakerFeed(components: components, overview: BreakerOverview(components: components), logger: logger)
        DashboardRoutes().register(on: router)
        BreakerReadRoutes(overview: feed.overview).register(on: router)
        EventStreamRoutes(feed: feed).register(on: router)
        var application = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "bulwark"
            ),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        application.addServices(components.services)
        application.addServices(extraServices)
        application.addServices(feed)
        return application
    }
}
