import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the Hummingbird application of one instance: routes, middleware, connection limits and the services
/// it runs.
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
        let routes = ServiceRouter(components: components, logger: logger)
        let readTimeout = Duration.seconds(configuration.requestReadTimeoutSeconds)
        var application = Application(
            router: routes.router,
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [RequestReadDeadline(timeout: readTimeout)],
                    idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds))
                )
            ),
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.host, port: configuration.port),
                serverName: "bulwark"
            ),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        application.addServices(components.services)
        application.addServices(extraServices)
        application.addServices(routes.feed)
        return application
    }
}
