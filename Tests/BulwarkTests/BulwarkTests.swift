import Bulwark
import BulwarkTestSupport
import Foundation
import Logging
import RedisClient
import RedisTestSupport
import ServiceLifecycle
import Testing

@Suite(.serialized) struct BulwarkTests {
    private struct DependencyDown: Error {}

    private func configuration(_ json: String) throws(BulwarkError) -> BulwarkConfiguration {
        try BulwarkConfiguration(json: Array(json.utf8))
    }

    /// The message of the `BulwarkError` that `body` throws.
    private func refusal(_ body: () throws -> Void) -> String {
        do {
            try body()
            Issue.record("expected a refusal")
        } catch let error as BulwarkError {
            #expect(error.code == .invalidConfiguration)
            return error.message
        } catch {
            Issue.record("unexpected \(error)")
        }
        return ""
    }

    /// Waits, polling, until `condition` holds; fails the test after `attempts` tries.
    private func waitUntil(_ what: String, attempts: Int = 250, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<attempts {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("timed out waiting until \(what)")
        throw CancellationError()
    }

    @Test func aConfigurationSelectsAndOverridesProfilesByPipelineName() throws {
        let configuration = try configuration(
            #"{"redisURL": "redis://127.0.0.1:1", "keyPrefix": "app", "pipelines": {"payments": {"profile": "external-api", "timeout": "2s"}, "db": {"profile": "database"}}}"#
        )
        #expect(configuration.keyPrefix == "app")
        #expect(configuration.pipelines["payments"]?.timeout == .seconds(2))
        #expect(configuration.pipelines["payments"]?.circuitBreaker?.failureThreshold.consecutiveFailures == 3)
        #expect(configuration.pipelines["db"]?.circuitBreaker == nil)
        // The configured profile wins over the code's, and one name is one pipeline.
        let bulwark = try Bulwark(configuration: configuration)
        let payments = try bulwark.pipeline(named: "payments", profile: .messageQueue)
        #expect(payments.attemptTimeout?.timeout == .seconds(2))
        let registeredBreaker = bulwark.breakers.breakers.first { $0.name == "payments" }
        #expect(payments.circuitBreaker === registeredBreaker)
        #expect(try bulwark.pipeline(named: "payments").circuitBreaker === payments.circuitBreaker)
        #expect(try bulwark.pipeline(named: "db").circuitBreaker == nil)
        bulwark.client.shutdown()
    }

    @Test func invalidSettingsAreRefusedAtStartUpNamingTheKey() throws {
        let cases: [(json: String, key: String)] = [
            (#"{"pipelines": {"payments": {"timeout": "1m"}}}"#, "pipelines.payments.timeout:"),
            (#"{"pipelines": {"payments": {"retry": {"attempts": 2}}}}"#, "pipelines.payments.retry.attempts:"),
            (#"{"pipelines": {"payments": {"profile": "fast"}}}"#, "pipelines.payments.profile:"),
            (
                #"{"pipelines": {"payments": {"circuitBreaker": {"consecutiveFailures": "3"}}}}"#,
                "pipelines.payments.circuitBreaker.consecutiveFailures:"
            ),
            (#"{"redisCommandTimeout": "fast"}"#, "redisCommandTimeout:"),
            (#"{"redisURl": "redis://x"}"#, "redisURl:"),
            ("[1]", "configuration:"),
        ]
        for (json, key) in cases {
            let message = refusal { _ = try configuration(json) }
            #expect(message.hasPrefix(key), "\(json) → \(message)")
        }
        let url = refusal { _ = try Bulwark(redisURL: "redis://:hunter2@") }
        #expect(url.hasPrefix("redisURL:"))
        #expect(!url.contains("hunter2"))
        let profile = refusal {
            _ = try Bulwark(
                configuration: BulwarkConfiguration(pipelines: ["x\n": ResilienceProfile(timeout: .seconds(5), totalTimeout: .seconds(1))])
            )
        }
        // The name's line break is escaped (one rule for every message: `LogEscaping`).
        #expect(profile.hasPrefix("pipelines.x\\n.timeout:"))
        let prefix = refusal { _ = try Bulwark(configuration: BulwarkConfiguration(keyPrefix: "")) }
        #expect(prefix.hasPrefix("keyPrefix"))
    }

    /// A pipeline handed out before Bulwark runs: its shared breaker decides locally (it opens), the registry says
    /// so once in the log whatever the number of calls and breakers, and `health` says so. Once Bulwark runs, the
    /// breaker joins the fleet: the local trip is merged into Redis and `health` reports it shared.
    @Test func breakersHandedOutBeforeItRunsDecideLocallyAndSaySoOnce() async throws {
        let server = try await RedisServerProcess.start()
        let capture = LogCapture()
        let bulwark = try Bulwark(configuration: BulwarkConfiguration(redisURL: server.url), logger: capture.logger(level: .info))
        let profile = ResilienceProfile(circuitBreaker: .consecutiveFailures(2, breakFor: .seconds(60)))
        let payments = try bulwark.pipeline(named: "early-payments", profile: profile)
        let shipping = try bulwark.pipeline(named: "early-shipping", profile: profile)
        for pipeline in [payments, shipping] {
            for _ in 0..<4 {
                _ = try? await pipeline.execute { () async throws -> Int in throw DependencyDown() }
            }
        }
        #expect(payments.circuitBreaker?.state == .open)
        #expect(shipping.circuitBreaker?.state == .open)
        #expect(capture.count(containing: "is not running") == 1)
        #expect(!bulwark.health.running)
        #expect(bulwark.health.breakers == .localFallback)

        let group = ServiceGroup(services: [bulwark], logger: Logger(label: "group"))
        let running = Task { try await group.run() }
        try await waitUntil("the breaker joined the fleet") { payments.circuitBreaker?.isDelegated == true }
        let store = SharedBreakerStore(client: bulwark.client)
        try await waitUntil("Redis holds the local trip") { try await store.read(BreakerName("early-payments")).state == .open }
        #expect(bulwark.health.running)
        #expect(bulwark.health.breakers == .shared)
        #expect(capture.count(containing: "is not running") == 1)
        await group.triggerGracefulShutdown()
        try await running.value
        #expect(!bulwark.health.running)
        await server.shutdown()
    }

    /// Two instances, each with its own Bulwark on one Redis: failures through one open the breaker for the other.
    @Test func twoInstancesShareTheBreaker() async throws {
        let server = try await RedisServerProcess.start()
        let profile = ResilienceProfile(circuitBreaker: .consecutiveFailures(3, breakFor: .seconds(60)))
        let first = try Bulwark(redisURL: server.url)
        let second = try Bulwark(redisURL: server.url)
        let group = ServiceGroup(services: [first, second], logger: Logger(label: "group"))
        let running = Task { try await group.run() }
        let here = try first.pipeline(named: "shared-payments", profile: profile)
        let there = try second.pipeline(named: "shared-payments", profile: profile)
        let value = try await there.execute { 1 }
        #expect(value == 1)
        for _ in 0..<3 {
            _ = try? await here.execute { () async throws -> Int in throw DependencyDown() }
        }
        try await waitUntil("the other instance sees the breaker open") { there.circuitBreaker?.state == .open }
        do {
            _ = try await there.execute { 1 }
            Issue.record("expected a rejection")
        } catch let error as ResilienceError {
            #expect(error.code == .breakerOpen)
        }
        await group.triggerGracefulShutdown()
        try await running.value
        await server.shutdown()
    }
}
