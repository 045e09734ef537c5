import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the Hummingbird application of one instance: routes, middleware and the services it runs.
public enum ServiceApplication {
    /// The application for `components`, ready for `run()` or Hummingbird's test client.
    public static func make(
        components: ServiceComponents,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let configuration = components.configuration
        let router = Router(context: BulwarkRequestContext.self)
        router.middlewares.add(CorrelationMiddleware(mode: configuration.mode))
        HealthRoutes(components: components).register(on: router)
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
        return application
    }
}
