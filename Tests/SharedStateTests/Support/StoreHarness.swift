import RedisClient
import RedisTestSupport
import Resilience

@testable import SharedState

/// Calls the store's internal report and proposal scripts the way an instance's authority does.
struct StoreHarness {
    let rules: SharedBreakerRules

    init(scope: BreakerScope, configuration: CircuitBreakerConfiguration) {
        rules = SharedBreakerRules(scope: scope, configuration: configuration)
    }

    func record(
        _ store: SharedBreakerStore,
        _ name: BreakerName,
        instance: String,
        successes: UInt64 = 0,
        failures: UInt64 = 0,
        localTrips: Bool = false,
        localState: CircuitBreakerState = .closed,
        probes: CircuitBreakerProbeOutcomes? = nil,
        retention: SharedBreakerRetention = SharedBreakerRetention()
    ) async throws -> SharedBreakerSnapshot {
        let opens = try await store.read(name).consecutiveOpens
        return try await store.record(
            name,
            instance: instance,
            counts: CircuitBreakerOutcomeCounts(successes: successes, failures: failures),
            totals: CircuitBreakerOutcomeCounts(successes: successes, failures: failures, rejections: 3),
            localTrips: localTrips,
            localState: localState,
            probes: probes,
            rules: rules,
            opensSoFar: opens,
            retention: retention
        )
    }

    func propose(
        _ store: SharedBreakerStore,
        _ name: BreakerName,
        to target: CircuitBreakerState,
        reason: CircuitBreakerTransitionReason,
        generation: UInt64
    ) async throws -> SharedBreakerSnapshot {
        let opens = try await store.read(name).consecutiveOpens
        return try await store.propose(name, to: target, reason: reason, generation: generation, rules: rules, opensSoFar: opens)
    }
}

/// Starts a redis-server and `count` stores, each over a client of its own (with the prefix of `prefixes` at its
/// index, else `bulwark`), and always stops the server.
func withInstances(
    _ count: Int,
    prefixes: [String] = [],
    _ body: (RedisServerProcess, [SharedBreakerStore]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    let clients = try (0..<count).map { _ in try RedisClient(url: server.url) }
    do {
        let stores = clients.enumerated().map { index, client in
            SharedBreakerStore(client: client, prefix: index < prefixes.count ? prefixes[index] : "bulwark")
        }
        try await body(server, stores)
    } catch {
        for client in clients { client.shutdown() }
        await server.shutdown()
        throw error
    }
    for client in clients { client.shutdown() }
    await server.shutdown()
}
