import BulwarkTestSupport
import Foundation
import Logging
import RedisTestSupport
import ServiceLifecycle
import Synchronization
import Testing

@testable import BulwarkService

/// A real redis-server, a scripted upstream and gateway instances on that one Redis, each a gateway application
/// listening on its own free loopback port; everything stopped after the test.
struct GatewayFleet {
    let redis: RedisServerProcess
    let upstream: ScriptedUpstream
    /// Each instance's `http://127.0.0.1:<port>`.
    let urls: [String]

    /// Starts the fleet with the routes `routes` writes for the upstream, runs `body`, and stops everything.
    static func run(
        instances: Int = 2,
        routes: (ScriptedUpstream) -> String,
        _ body: (GatewayFleet) async throws -> Void
    ) async throws {
        let redis = try await RedisServerProcess.start()
        let upstream = try await ScriptedUpstream.start()
        var groups: [ServiceGroup] = []
        var tasks: [Task<Void, any Error>] = []
        func stop() async {
            for group in groups { await group.triggerGracefulShutdown() }
            for task in tasks { _ = try? await task.value }
            await upstream.stop()
            await redis.shutdown()
        }
        do {
            let configuration = try GatewayConfiguration.parse(Data(routes(upstream).utf8))
            var service = ServiceConfiguration()
            service.redisURL = redis.url
            service.gatewayPort = 0
            service.keyPrefix = "g\(UInt32.random(in: 0...UInt32.max))"
            var logger = Logger(label: "gateway.test")
            logger.logLevel = .critical
            var urls: [String] = []
            for index in 0..<instances {
                let port = Mutex<Int>(0)
                let application = try GatewayApplication.make(routes: configuration, service: service, instanceID: "gw-\(index)", logger: logger) {
                    listening in port.withLock { $0 = listening }
                }
                let group = ServiceGroup(services: [application], logger: logger)
                groups.append(group)
                tasks.append(Task { try await group.run() })
                let deadline = ContinuousClock.now + .seconds(30)
                while port.withLock({ $0 }) == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                let listening = port.withLock { $0 }
                try #require(listening != 0, "gateway \(index) did not listen within 30 s")
                urls.append("http://127.0.0.1:\(listening)")
            }
            try await body(GatewayFleet(redis: redis, upstream: upstream, urls: urls))
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    /// Routes for the tests: `items` (2 retries 1 ms apart, breaker opening after 3 failures in a row for 60 s),
    /// `slow` (300 ms attempt timeout, no retry) and `dead` (an upstream nothing listens on), bodies of 1 KiB at most.
    static func standardRoutes(_ upstream: ScriptedUpstream) -> String {
        """
        {
          "maxRequestBodyBytes": 1024,
          "routes": [
            { "name": "items", "pathPrefix": "/items", "upstreams": ["\(upstream.url("/v1"))"],
              "policy": { "profile": "standard", "timeout": "5s", "totalTimeout": "20s",
                          "retry": { "retries": 2, "backoff": "constant", "initialDelay": "1ms" },
                          "circuitBreaker": { "consecutiveFailures": 3, "breakDuration": "60s" } } },
            { "name": "slow", "pathPrefix": "/slow", "upstreams": ["\(upstream.url(""))"],
              "policy": { "timeout": "300ms", "totalTimeout": "1s", "retry": null, "circuitBreaker": null } },
            { "name": "dead", "pathPrefix": "/dead", "upstreams": ["http://127.0.0.1:1"],
              "policy": { "retry": null, "circuitBreaker": null } }
          ]
        }
        """
    }
}

/// What curl got: the status, the header fields (lowercased names) and the body.
struct CurlResult {
    let status: Int
    let headers: [String: String]
    let body: String

    /// The `error` object of an envelope.
    var envelope: [String: Any] {
        let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
        return object?["error"] as? [String: Any] ?? [:]
    }

    /// The envelope's `details`.
    var details: [String: Any] { envelope["details"] as? [String: Any] ?? [:] }

    /// Runs `curl -s -i` with `arguments` (a non-Swift client) and parses what it printed.
    static func run(_ arguments: [String]) async throws -> CurlResult {
        let curl = try OutputProcess(URL(fileURLWithPath: "/usr/bin/curl"), ["-s", "-i", "--max-time", "60"] + arguments)
        let exited = await curl.waitForExit(timeout: .seconds(90))
        try #require(exited, "curl did not finish")
        let text = curl.text
        guard let split = text.range(of: "\r\n\r\n") else {
            Issue.record("curl printed no response: \(text)")
            return CurlResult(status: 0, headers: [:], body: "")
        }
        let lines = text[..<split.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return CurlResult(status: status, headers: headers, body: String(text[split.upperBound...]))
    }
}
