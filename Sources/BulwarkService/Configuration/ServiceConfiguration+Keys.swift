import Foundation
import Logging
import Resilience
import SharedState

extension ServiceConfiguration {
    /// One configuration key: its name in the JSON file, its environment variable, and how it is applied.
    public struct Key: Sendable {
        /// The key in the JSON file.
        public let name: String
        /// The environment variable.
        public let variable: String
        /// What it sets, for `--help` and README.md.
        public let summary: String
        let apply: @Sendable (inout ServiceConfiguration, String) throws(ServiceConfigurationError) -> Void
    }

    /// Every key the service understands.
    public static let keys: [Key] = [
        Key(name: "host", variable: "BULWARK_HOST", summary: "address to listen on") { c, v throws(ServiceConfigurationError) in
            guard !v.isEmpty else { throw .invalid("host", "must not be empty") }
            c.host = v
        },
        Key(name: "port", variable: "BULWARK_PORT", summary: "port to listen on (0 = any free port)") { c, v throws(ServiceConfigurationError) in
            c.port = try integer(v, key: "port", in: 0...65_535)
        },
        Key(name: "redisURL", variable: "REDIS_URL", summary: "Redis to share state through") { c, v throws(ServiceConfigurationError) in
            guard !v.isEmpty else { throw .invalid("redisURL", "must not be empty") }
            c.redisURL = v
        },
        Key(
            name: "instanceID",
            variable: "BULWARK_INSTANCE_ID",
            summary: "this instance's id (random when empty)"
        ) { c, v throws(ServiceConfigurationError) in
            guard v.allSatisfy({ $0.isLetter || $0.isNumber || "-_.".contains($0) }), v.utf8.count <= 64 else {
                throw .invalid("instanceID", "letters, digits, '-', '_' and '.' only, at most 64")
            }
            c.instanceID = v
        },
        Key(
            name: "adminToken",
            variable: "BULWARK_ADMIN_TOKEN",
            summary: "bearer token admin changes need"
        ) { c, v throws(ServiceConfigurationError) in
            guard AdminToken.isAcceptable(v) else {
                throw .invalid("adminToken", "must be \(AdminToken.minimumLength) to \(AdminToken.maximumLength) visible ASCII characters, no spaces")
            }
            c.adminToken = v
        },
        Key(name: "mode", variable: "BULWARK_MODE", summary: "production or development") { c, v throws(ServiceConfigurationError) in
            guard let mode = Mode(rawValue: v) else { throw .invalid("mode", "must be production or development") }
            c.mode = mode
        },
        Key(name: "demo", variable: "BULWARK_DEMO", summary: "run demo traffic (true/false)") { c, v throws(ServiceConfigurationError) in
            c.demo = try boolean(v, key: "demo")
        },
        Key(
            name: "logLevel",
            variable: "LOG_LEVEL",
            summary: "trace, debug, info, notice, warning, error, critical"
        ) { c, v throws(ServiceConfigurationError) in
            guard let level = Logger.Level(rawValue: v) else { throw .invalid("logLevel", "unknown level") }
            c.logLevel = level
        },
        Key(
            name: "keyPrefix",
            variable: "BULWARK_KEY_PREFIX",
            summary: "prefix of every Redis key and channel"
        ) { c, v throws(ServiceConfigurationError) in
            guard !v.isEmpty, v.allSatisfy({ $0.isLetter || $0.isNumber || "-_".contains($0) }) else {
                throw .invalid("keyPrefix", "letters, digits, '-' and '_' only")
            }
            c.keyPrefix = v
        },
        Key(
            name: "redisCommandTimeoutMilliseconds",
            variable: "BULWARK_REDIS_COMMAND_TIMEOUT_MS",
            summary: "Redis command timeout"
        ) { c, v throws(ServiceConfigurationError) in
            c.redisCommandTimeoutMilliseconds = try integer(v, key: "redisCommandTimeoutMilliseconds", in: 10...60_000)
        },
        Key(
            name: "readyOnFallback",
            variable: "BULWARK_READY_ON_FALLBACK",
            summary: "/health/ready is 200 on the fallback"
        ) { c, v throws(ServiceConfigurationError) in
            c.readyOnFallback = try boolean(v, key: "readyOnFallback")
        },
        Key(
            name: "dashboardRefreshMilliseconds",
            variable: "BULWARK_DASHBOARD_REFRESH_MS",
            summary: "dashboard refresh from Redis"
        ) { c, v throws(ServiceConfigurationError) in
            c.dashboardRefreshMilliseconds = try integer(v, key: "dashboardRefreshMilliseconds", in: 100...60_000)
        },
        Key(
            name: "shutdownGraceSeconds",
            variable: "BULWARK_SHUTDOWN_GRACE_S",
            summary: "longest graceful shutdown"
        ) { c, v throws(ServiceConfigurationError) in
            c.shutdownGraceSeconds = try integer(v, key: "shutdownGraceSeconds", in: 1...600)
        },
        Key(
            name: "diskPath",
            variable: "BULWARK_DISK_PATH",
            summary: "file system whose free space /health reports"
        ) { c, v throws(ServiceConfigurationError) in
            guard v.hasPrefix("/") else { throw .invalid("diskPath", "must be an absolute path") }
            c.diskPath = v
        },
        Key(
            name: "minimumFreeDiskMegabytes",
            variable: "BULWARK_MIN_FREE_DISK_MB",
            summary: "disk unhealthy below"
        ) { c, v throws(ServiceConfigurationError) in
            c.minimumFreeDiskMegabytes = try integer(v, key: "minimumFreeDiskMegabytes", in: 0...10_000_000)
        },
        Key(
            name: "maximumResidentMemoryMegabytes",
            variable: "BULWARK_MAX_MEMORY_MB",
            summary: "memory degraded above"
        ) { c, v throws(ServiceConfigurationError) in
            c.maximumResidentMemoryMegabytes = try integer(v, key: "maximumResidentMemoryMegabytes", in: 16...10_000_000)
        },
        Key(
            name: "requestReadTimeoutSeconds",
            variable: "BULWARK_REQUEST_READ_TIMEOUT_S",
            summary: "headers and body must arrive within"
        ) { c, v throws(ServiceConfigurationError) in
            c.requestReadTimeoutSeconds = try integer(v, key: "requestReadTimeoutSeconds", in: 1...600)
        },
        Key(
            name: "idleTimeoutSeconds",
            variable: "BULWARK_IDLE_TIMEOUT_S",
            summary: "idle keep-alive connections closed after"
        ) { c, v throws(ServiceConfigurationError) in
            c.idleTimeoutSeconds = try integer(v, key: "idleTimeoutSeconds", in: 1...3_600)
        },
        Key(
            name: "maximumEventStreams",
            variable: "BULWARK_MAX_EVENT_STREAMS",
            summary: "event streams open at once, 503 beyond"
        ) { c, v throws(ServiceConfigurationError) in
            c.maximumEventStreams = try integer(v, key: "maximumEventStreams", in: 1...100_000)
        },
        Key(
            name: "switchedOff",
            variable: "BULWARK_SWITCHED_OFF",
            summary: "kill switches off at start: pipeline:policy,… (policies: retry, timeout, bulkhead, rate-limiter, hedging, breaker)"
        ) { c, v throws(ServiceConfigurationError) in
            c.switchedOff = try switches(v)
        },
        Key(
            name: "otelEndpoint",
            variable: "BULWARK_OTEL_ENDPOINT",
            summary: "OTLP/HTTP collector to export spans to (none: no tracing)"
        ) { c, v throws(ServiceConfigurationError) in
            c.otelEndpoint = try otlpEndpoint(v)
        },
        Key(
            name: "gatewayRoutesFile",
            variable: "BULWARK_GATEWAY_ROUTES",
            summary: "gateway routes file (JSON); the gateway runs when set"
        ) { c, v throws(ServiceConfigurationError) in
            guard !v.isEmpty else { throw .invalid("gatewayRoutesFile", "must not be empty") }
            c.gatewayRoutesFile = v
        },
        Key(name: "gatewayPort", variable: "BULWARK_GATEWAY_PORT", summary: "port the gateway listens on") { c, v throws(ServiceConfigurationError) in
            c.gatewayPort = try integer(v, key: "gatewayPort", in: 0...65_535)
        },
    ]

    /// An `http` or `https` URL with a host and no credentials (headers go in `OTEL_EXPORTER_OTLP_HEADERS`), so
    /// that it can be logged.
    private static func otlpEndpoint(_ text: String) throws(ServiceConfigurationError) -> String {
        let problem = "must be an http:// or https:// URL with a host, no user or password, at most 2048 characters"
        guard text.utf8.count <= 2_048, !text.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }),
            let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty, url.user == nil, url.password == nil, url.query == nil, url.fragment == nil
        else { throw .invalid("otelEndpoint", problem) }
        return text
    }

    private static func integer(_ text: String, key: String, in range: ClosedRange<Int>) throws(ServiceConfigurationError) -> Int {
        guard let value = Int(text), range.contains(value) else {
            throw .invalid(key, "must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    /// `payments:retry,payments:hedging` → `["payments": [.retry, .hedging]]`; empty means none.
    private static func switches(_ text: String) throws(ServiceConfigurationError) -> [String: [PolicyKind]] {
        var off: [String: [PolicyKind]] = [:]
        for item in text.split(separator: ",", omittingEmptySubsequences: true) {
            let parts = item.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let kind = PolicyKind(rawValue: String(parts[1])),
                (try? PipelineName(String(parts[0]))) != nil
            else {
                throw .invalid(
                    "switchedOff",
                    "each item must be pipeline:policy, policy one of \(PolicyKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            off[String(parts[0]), default: []].append(kind)
        }
        return off
    }

    private static func boolean(_ text: String, key: String) throws(ServiceConfigurationError) -> Bool {
        switch text.lowercased() {
        case "true", "1", "yes": return true
        case "false", "0", "no": return false
        default: throw .invalid(key, "must be true or false")
        }
    }
}
