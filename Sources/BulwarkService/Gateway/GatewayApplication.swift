import Bulwark
import Hummingbird
import HummingbirdCore
import Logging
import ServiceLifecycle

/// Builds the gateway's own HTTP listener (`gatewayPort`), apart from the admin API: callers' requests never meet
/// the admin token check, and a route's prefix can never shadow an admin route.
public enum GatewayApplication {
    /// The gateway application: a `Bulwark` on the service's Redis (same key prefix and instance id, so its
    /// breakers are the fleet's), the gateway, and the listener; ready for `run()`.
    /// - Parameters:
    ///   - routes: The routes, already checked.
    ///   - service: The service's configuration: Redis, key prefix, listen address, read and idle timeouts, mode.
    ///   - instanceID: This instance's id in the fleet.
    ///   - logger: The application's logger.
    ///   - onServerRunning: Told the port once the gateway listens.
    /// - Throws: ``ServiceConfigurationError`` when the Bulwark or a route's policies cannot be built.
    public static func make(
        routes: GatewayConfiguration,
        service: ServiceConfiguration,
        instanceID: String,
        logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(ServiceConfigurationError) -> some ApplicationProtocol {
        // Metrics made before the backend is installed would go nowhere.
        ServiceMetrics.bootstrap()
        let bulwark: Bulwark
        do {
            bulwark = try Bulwark(
                configuration: BulwarkConfiguration(
                    redisURL: service.redisURL,
                    keyPrefix: service.keyPrefix,
                    instanceID: instanceID,
                    redisCommandTimeout: .milliseconds(service.redisCommandTimeoutMilliseconds)
                ),
                logger: logger
            )
        } catch {
            throw ServiceConfigurationError(message: "gateway: \(error.message)")
        }
        let gateway = try Gateway(configuration: routes, bulwark: bulwark, logger: logger)
        let correlation = CorrelationMiddleware<BulwarkRequestContext>(exposesInternalErrors: service.mode == .development)
        let responder = CallbackResponder<BulwarkRequestContext> { request, context in
            try await correlation.handle(request, context: context) { request, context in
                try await gateway.respond(request, context: context)
            }
        }
        var application = Application(
            responder: responder,
            server: .http1(
                configuration: HTTP1Channel.Configuration(
                    additionalChannelHandlers: [RequestReadDeadline(timeout: .seconds(service.requestReadTimeoutSeconds))],
                    idleTimeout: .seconds(Int64(service.idleTimeoutSeconds))
                )
            ),
            configuration: ApplicationConfiguration(address: .hostname(service.host, port: service.gatewayPort), serverName: "bulwark-gateway"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
        // Started before the server and stopped after it, in reverse: the breakers flush last.
        application.addServices(bulwark, gateway)
        return application
    }
}
