import ArgumentParser
import BulwarkService
import Foundation

/// `bulwark serve`: the HTTP service with health, metrics, admin API and dashboard.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the service: health, metrics, admin API and the live breaker dashboard.",
        discussion: """
            Configuration comes from --config FILE (JSON), then environment variables, then these options.
            Example: bulwark serve --port 8080 --demo
            """
    )

    /// The port to listen on (overrides the file and BULWARK_PORT).
    @Option(help: "Port to listen on (default 8080, env BULWARK_PORT).")
    var port: Int?

    /// A JSON configuration file.
    @Option(help: "JSON configuration file; every key is documented in README.md.")
    var config: String?

    /// The gateway's routes file.
    @Option(help: "Gateway routes file (JSON, see docs/gateway.md); the gateway listens on gatewayPort (default 8090).")
    var gatewayRoutes: String?

    /// Runs the built-in flaky dependency and guarded traffic.
    @Flag(help: "Also run demo traffic through a healthy, a flapping and a down breaker.")
    var demo = false

    func run() async throws {
        var overrides = ServiceConfiguration.Overrides()
        overrides.port = port
        overrides.demo = demo ? true : nil
        overrides.gatewayRoutesFile = gatewayRoutes
        let configuration = try ServiceConfiguration.load(file: config, environment: ProcessInfo.processInfo.environment, overrides: overrides)
        try await BulwarkServer(configuration: configuration).run()
    }
}
