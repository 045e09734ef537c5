import Hummingbird
import Logging
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
        let components = try ServiceComponents(configuration: configuration, logger: logger)
        let application = ServiceApplication.make(components: components, logger: logger)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [.init(service: application)],
                gracefulShutdownSignals: [.sigterm, .sigint],
                cancellationSignals: [],
                logger: logger
            )
        )
        try await group.run()
    }
}
