import Foundation
import Logging
import Resilience

/// Everything `bulwark serve` can be told, with the defaults it uses when told nothing.
///
/// Sources, later ones winning: the defaults, a JSON file (`--config`), environment variables, command-line
/// options. Every key, its variable and its default are listed in ``keys`` (and in README.md).
public struct ServiceConfiguration: Sendable, Equatable {
    /// Where to listen.
    public var host: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free one.
    public var port: Int = 8080
    /// The Redis to share state through. Never logged with its password.
    public var redisURL: String = "redis://127.0.0.1:6379"
    /// This instance's id in the fleet; random when empty.
    public var instanceID: String = ""
    /// The token that admin changes must present as `Authorization: Bearer …`; changes are refused when unset.
    public var adminToken: String?
    /// `production` keeps internal messages out of error bodies; `development` adds them under `details`.
    public var mode: Mode = .production
    /// Runs the built-in flaky dependency and guarded demo traffic.
    public var demo: Bool = false
    /// The log level.
    public var logLevel: Logger.Level = .info
    /// The prefix of every Redis key and channel.
    public var keyPrefix: String = "bulwark"
    /// How long one Redis command may take before it counts as failed.
    public var redisCommandTimeoutMilliseconds: Int = 250
    /// Whether `/health/ready` answers 200 while the service runs on the local fallback.
    public var readyOnFallback: Bool = true
    /// How often the dashboard's breaker overview is refreshed from Redis.
    public var dashboardRefreshMilliseconds: Int = 1_000
    /// How long a graceful shutdown may take before the remaining work is cancelled.
    public var shutdownGraceSeconds: Int = 10
    /// The file system whose free space `/health` reports.
    public var diskPath: String = "/"
    /// Below this much free disk space `/health` reports the disk as unhealthy.
    public var minimumFreeDiskMegabytes: Int = 256
    /// Above this resident memory `/health` reports memory as degraded.
    public var maximumResidentMemoryMegabytes: Int = 1_024
    /// How long a client may take to send a request's headers (on a new connection) and its body; past that the
    /// connection is closed, with 408 when no request has started.
    public var requestReadTimeoutSeconds: Int = 10
    /// How long a keep-alive connection may sit idle between requests before it is closed.
    public var idleTimeoutSeconds: Int = 30
    /// The most event streams (`/api/v1/events`) open at once; more are answered 503 with `Retry-After`.
    public var maximumEventStreams: Int = 100
    /// The kill switches off at start, by pipeline name; the fleet's state in Redis wins once read.
    public var switchedOff: [String: [PolicyKind]] = [:]
    /// The OTLP/HTTP collector the instance's spans are exported to (spans go to `<endpoint>/v1/traces`); `nil`,
    /// the default, traces nothing.
    public var otelEndpoint: String?

    /// The gateway's routes file (see ``GatewayConfiguration``); no gateway runs when unset.
    public var gatewayRoutesFile: String?
    /// The port the gateway listens on, beside the admin API's; 0 picks a free one.
    public var gatewayPort: Int = 8090

    /// Whether internals may appear in error bodies.
    public enum Mode: String, Sendable, Equatable, CaseIterable {
        /// No stack trace, internal message or secret leaves the service.
        case production
        /// Error bodies carry the underlying error under `details.internal`.
        case development
    }

    /// Creates the defaults.
    public init() {}

    /// The values given on the command line, which win over the file and the environment.
    public struct Overrides: Sendable {
        /// `--port`.
        public var port: Int?
        /// `--demo`.
        public var demo: Bool?
        /// `--gateway-routes`.
        public var gatewayRoutesFile: String?
        /// Creates empty overrides.
        public init() {}
    }
}
