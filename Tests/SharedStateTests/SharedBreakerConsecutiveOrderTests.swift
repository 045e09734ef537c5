import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// A failure of the protected dependency.
private struct DependencyDown: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// The consecutive-failures rule across instances with lazy flushing, against a real redis-server: a success that
/// waited in one instance while others failed does not end the fleet's run of failures that came after it; a
/// success that came after them does.
@Suite(.serialized) struct SharedBreakerConsecutiveOrderTests {
    private let threeInARow = CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(3), breakDuration: .fixed(.seconds(60)))

    /// Two instances on one Redis, successes held back for a minute, timer ticks every 20 ms.
    private struct Fleet {
        let server: RedisServerProcess
        let clients: [RedisClient]
        let registries: [SharedBreakerRegistry]
        let breakers: [CircuitBreaker]
        let services: [Task<Void, any Error>]

        func stop() async {
            for service in services { service.cancel() }
            for service in services { _ = try? await service.value }
            for client in clients { client.shutdown() }
            await server.shutdown()
        }
    }

    private func startFleet(configuration: CircuitBreakerConfiguration) async throws -> Fleet {
        let server = try await RedisServerProcess.start()
        var clients: [RedisClient] = []
        var registries: [SharedBreakerRegistry] = []
        var breakers: [CircuitBreaker] = []
        for instance in ["A", "B"] {
            let client = try RedisClient(url: server.url)
            let options = SharedBreakerOptions(
                instanceID: instance,
                flushInterval: .milliseconds(20),
                failureReportWait: .seconds(10),
                lazyFlushInterval: .seconds(60)
            )
            let registry = try SharedBreakerRegistry(client: client, options: options)
            clients.append(client)
            registries.append(registry)
            breakers.append(try registry.breaker(named: "ordered", configuration: configuration))
        }
        let services = registries.map { registry in Task { try await registry.run() } }
        for breaker in breakers {
            for _ in 0..<1_500 where !breaker.isDelegated { try await Task.sleep(for: .milliseconds(20)) }
            try #require(breaker.isDelegated)
        }
        return Fleet(server: server, clients: clients, registries: registries, breakers: breakers, services: services)
    }

    private func fail(_ breaker: CircuitBreaker) async throws {
        _ = try await breaker.execute { () async throws -> Int in throw DependencyDown() }
    }

    /// Records one success in `breaker` and waits until the registry's timer has dated it, then `settle` more.
    private func succeedAndDate(_ breaker: CircuitBreaker, in registry: SharedBreakerRegistry, settle: Duration) async throws {
        _ = try await breaker.execute { 1 }
        let policy = try #require(registry.entry(breaker.name)?.authority?.flushPolicy)
        for _ in 0..<1_500 where policy.datedSuccesses == 0 { try await Task.sleep(for: .milliseconds(5)) }
        try #require(policy.datedSuccesses == 1)
        try await Task.sleep(for: settle)
    }

    private func consecutive(in fleet: Fleet) async throws -> String? {
        try await fleet.clients[0].send("HGET", BreakerKeys(BreakerName("ordered")).window, "consecutive").string
    }

    /// A succeeds, then B fails twice, then A fails: three failures in a row in the fleet. A's flush carries its
    /// old success with its failure; before successes were dated it reset the run to 1 and the breaker stayed
    /// closed.
    @Test func aHeldBackSuccessDoesNotEndLaterFailures() async throws {
        let fleet = try await startFleet(configuration: threeInARow)
        let (a, b) = (fleet.breakers[0], fleet.breakers[1])
        try await succeedAndDate(a, in: fleet.registries[0], settle: .milliseconds(300))
        await #expect(throws: DependencyDown.self) { try await fail(b) }
        await #expect(throws: DependencyDown.self) { try await fail(b) }
        await #expect(throws: DependencyDown.self) { try await fail(a) }
        #expect(a.state == .open)
        for _ in 0..<1_500 where b.state != .open { try await Task.sleep(for: .milliseconds(5)) }
        #expect(b.state == .open)
        await fleet.stop()
    }

    /// B fails twice, then A succeeds and fails: the success came after B's failures, so it ends their run and
    /// the fleet's count is A's one failure.
    @Test func aLaterSuccessEndsTheRun() async throws {
        let fleet = try await startFleet(configuration: threeInARow)
        let (a, b) = (fleet.breakers[0], fleet.breakers[1])
        await #expect(throws: DependencyDown.self) { try await fail(b) }
        await #expect(throws: DependencyDown.self) { try await fail(b) }
        #expect(try await consecutive(in: fleet) == "2")
        // Clearly later than B's failures: Redis dates them to the millisecond.
        try await Task.sleep(for: .milliseconds(5))
        try await succeedAndDate(a, in: fleet.registries[0], settle: .zero)
        await #expect(throws: DependencyDown.self) { try await fail(a) }
        #expect(try await consecutive(in: fleet) == "1")
        #expect(a.state == .closed)
        #expect(b.state == .closed)
        await fleet.stop()
    }
}
