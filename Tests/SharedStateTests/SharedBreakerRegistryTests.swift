import Foundation
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Synchronization
import Testing

/// A failure of the protected dependency.
private struct DependencyDown: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// One registry in this process against a real redis-server: the rules that do not need several processes.
@Suite(.serialized) struct SharedBreakerRegistryTests {
    private func configuration(threshold: Int, breakDuration: Duration = .seconds(30)) -> CircuitBreakerConfiguration {
        CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(threshold), breakDuration: .fixed(breakDuration))
    }

    private func fail(_ breaker: CircuitBreaker) async {
        _ = try? await breaker.execute { () async throws -> Int in throw DependencyDown() }
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

    /// Finding 5: a registry nobody runs lets its breakers decide locally (they open); its first synchronize,
    /// once it runs, delegates them, and the local trip wins the merge.
    @Test func aRegistryThatIsNotRunningDecidesLocallyThenDelegates() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, options: SharedBreakerOptions(firstStateWait: .milliseconds(50)))
        let breaker = try registry.breaker(named: "unrun", configuration: configuration(threshold: 2))
        await fail(breaker)
        await fail(breaker)
        #expect(breaker.state == .open)
        #expect(!breaker.isDelegated)
        let service = Task { try await registry.run() }
        try await waitUntil("the breaker is delegated") { breaker.isDelegated }
        try await waitUntil("Redis holds the local trip") { try await registry.store.read(BreakerName("unrun")).state == .open }
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// Finding 8: a failing call waits for its report at most `failureReportWait`, even when Redis answers late.
    @Test func aFailingCallWaitsForItsReportWithABound() async throws {
        let server = try await RedisServerProcess.start()
        var redis = try RedisConfiguration(url: server.url)
        redis.commandTimeout = .seconds(30)
        let client = try RedisClient(configuration: redis)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, options: SharedBreakerOptions(failureReportWait: .milliseconds(100)))
        let breaker = try registry.breaker(named: "slow-redis", configuration: configuration(threshold: 100))
        let service = Task { try await registry.run() }
        try await waitUntil("the breaker is delegated") { breaker.isDelegated }
        try await server.pause()
        // Redis answers nothing for 30 s: the failing call must come back while Redis is still paused.
        let returned = Mutex(false)
        let call = Task {
            await fail(breaker)
            returned.withLock { $0 = true }
        }
        try await waitUntil("the failing call returned", attempts: 500) { returned.withLock { $0 } }
        #expect(server.isRunning)
        try await server.resume()
        await call.value
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// Finding 3: `isolate()`, `disable()` and `reset()` of a registry breaker go through the operator path and
    /// land in Redis (from any state); the registry's command fails loudly when Redis cannot take it.
    @Test func manualControlOfARegistryBreakerReachesRedisOrFails() async throws {
        let server = try await RedisServerProcess.start()
        var redis = try RedisConfiguration(url: server.url)
        redis.commandTimeout = .milliseconds(300)
        let client = try RedisClient(configuration: redis)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client)
        let breaker = try registry.breaker(named: "manual", configuration: configuration(threshold: 1))
        let service = Task { try await registry.run() }
        let name = try BreakerName("manual")
        try await waitUntil("the breaker is delegated") { breaker.isDelegated }
        await fail(breaker)
        try await waitUntil("the breaker is open") { breaker.state == .open }
        for (control, expected) in [("isolate", CircuitBreakerState.isolated), ("reset", .closed), ("disable", .disabled), ("reset", .closed)] {
            switch control {
            case "isolate": breaker.isolate()
            case "disable": breaker.disable()
            default: breaker.reset()
            }
            try await waitUntil("\(control) reached Redis") { try await registry.store.read(name).state == expected }
            try await waitUntil("\(control) reached the breaker") { breaker.state == expected }
        }
        try await server.kill()
        await #expect(throws: SharedStateError.self) { try await registry.command(.isolate, breaker: "manual") }
        #expect(breaker.state == .closed)
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// Finding 7: two registries with different prefixes on one Redis, with a breaker of the same name, never
    /// hear each other: a trip under one prefix leaves the other closed, and the other's own trip still works.
    @Test func registriesUnderTwoPrefixesShareNothing() async throws {
        let server = try await RedisServerProcess.start()
        let clients = try [RedisClient(url: server.url), RedisClient(url: server.url)]
        defer { for client in clients { client.shutdown() } }
        let blue = try SharedBreakerRegistry(client: clients[0], options: SharedBreakerOptions(keyPrefix: "blue"))
        let green = try SharedBreakerRegistry(client: clients[1], options: SharedBreakerOptions(keyPrefix: "green"))
        let blueBreaker = try blue.breaker(named: "catalog", configuration: configuration(threshold: 1))
        let greenBreaker = try green.breaker(named: "catalog", configuration: configuration(threshold: 1))
        let services = [Task { try await blue.run() }, Task { try await green.run() }]
        try await waitUntil("both are delegated") { blueBreaker.isDelegated && greenBreaker.isDelegated }
        // Green's transitions are published first; blue applies the later ones of its own prefix only.
        try await green.command(.isolate, breaker: "catalog")
        await fail(blueBreaker)
        try await waitUntil("blue opened") { blueBreaker.state == .open }
        try await blue.command(.reset, breaker: "catalog")
        try await waitUntil("blue closed again") { blueBreaker.state == .closed }
        #expect(greenBreaker.state == .isolated)
        #expect(try await blue.store.read(BreakerName("catalog")).state == .closed)
        #expect(try await green.store.read(BreakerName("catalog")).state == .isolated)
        for service in services { service.cancel() }
        for service in services { _ = try? await service.value }
        await server.shutdown()
    }
}
