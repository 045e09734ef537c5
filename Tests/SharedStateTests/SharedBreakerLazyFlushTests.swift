import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

/// A failure of the protected dependency.
private struct DependencyDown: Error, ResilienceClassifiable {
    var resilienceKind: ResilienceError.Code { .unavailable }
}

/// Lazy flushing (`docs/convergence.md`, "How far the shared counts lag") against a real redis-server: successes
/// alone wait, a failure carries them, failures the fleet can take are held back, and the pooled threshold is
/// still stopped at exactly.
@Suite(.serialized) struct SharedBreakerLazyFlushTests {
    private let ratio = CircuitBreakerConfiguration(failureThreshold: .failureRatio(0.5), minimumThroughput: 10, breakDuration: .fixed(.seconds(60)))

    private func options(_ instance: String, lazy: Duration) -> SharedBreakerOptions {
        SharedBreakerOptions(
            instanceID: instance,
            flushInterval: .milliseconds(20),
            failureReportWait: .seconds(10),
            lazyFlushInterval: lazy
        )
    }

    private func fail(_ breaker: CircuitBreaker) async throws {
        _ = try await breaker.execute { () async throws -> Int in throw DependencyDown() }
    }

    /// Polls until this instance's report of `name` is in Redis, at most 30 s.
    private func report(of instance: String, _ name: String, in store: SharedBreakerStore) async throws -> SharedBreakerInstanceReport {
        for _ in 0..<1_500 {
            if let report = try await store.instanceReports(BreakerName(name))[instance] { return report }
            try await Task.sleep(for: .milliseconds(20))
        }
        Issue.record("no report of \(name) from \(instance) reached Redis")
        throw CancellationError()
    }

    private func waitUntilDelegated(_ breaker: CircuitBreaker) async throws {
        for _ in 0..<1_500 where !breaker.isDelegated { try await Task.sleep(for: .milliseconds(20)) }
        try #require(breaker.isDelegated)
    }

    /// Successes alone are written once, when the lazy interval has passed since the breaker started, and not
    /// every flush interval (20 ms here): the first report that reaches Redis holds all of them.
    @Test func successesAloneWaitForTheLazyInterval() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let lazy = Duration.milliseconds(1_500)
        let registry = try SharedBreakerRegistry(client: client, options: options("lazy", lazy: lazy))
        let clock = ContinuousClock()
        let created = clock.now
        let breaker = try registry.breaker(named: "quiet", configuration: ratio)
        let service = Task { try await registry.run() }
        try await waitUntilDelegated(breaker)
        for _ in 0..<100 { _ = try await breaker.execute { 1 } }
        let report = try await report(of: "lazy", "quiet", in: registry.store)
        let waited = clock.now - created
        #expect(report.successes == 100)
        #expect(report.failures == 0)
        #expect(waited >= lazy)
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// A failure is flushed at once (its call waits for the answer) and carries every success before it, so the
    /// pooled ratio never sees the failure without them.
    @Test func aFailureFlushCarriesThePendingSuccesses() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, options: options("carrier", lazy: .seconds(60)))
        let breaker = try registry.breaker(named: "mixed", configuration: ratio)
        let service = Task { try await registry.run() }
        try await waitUntilDelegated(breaker)
        for _ in 0..<50 { _ = try await breaker.execute { 1 } }
        await #expect(throws: DependencyDown.self) { try await fail(breaker) }
        let report = try await report(of: "carrier", "mixed", in: registry.store)
        #expect(report.successes == 50)
        #expect(report.failures == 1)
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// Two instances pool 200 successes: B's failures within Redis's headroom are held back (a handful of
    /// writes, not one per failure), yet the breaker opens at exactly the pooled threshold, 200 failures.
    @Test func heldBackFailuresStillStopAtThePooledThreshold() async throws {
        let server = try await RedisServerProcess.start()
        let clientA = try RedisClient(url: server.url)
        defer { clientA.shutdown() }
        let clientB = try RedisClient(url: server.url)
        defer { clientB.shutdown() }
        let registryA = try SharedBreakerRegistry(client: clientA, options: options("A", lazy: .seconds(60)))
        let registryB = try SharedBreakerRegistry(client: clientB, options: options("B", lazy: .seconds(60)))
        let a = try registryA.breaker(named: "pooled", configuration: ratio)
        let b = try registryB.breaker(named: "pooled", configuration: ratio)
        let services = [Task { try await registryA.run() }, Task { try await registryB.run() }]
        try await waitUntilDelegated(a)
        try await waitUntilDelegated(b)
        for breaker in [a, b] {
            for _ in 0..<100 { _ = try await breaker.execute { 1 } }
            await #expect(throws: DependencyDown.self) { try await fail(breaker) }
        }
        let commandsBefore = clientB.statistics.commands
        var failuresUntilOpen = 0
        while failuresUntilOpen < 1_000 {
            do {
                try await fail(b)
            } catch is DependencyDown {
                failuresUntilOpen += 1
                continue
            } catch {
                break
            }
        }
        let writes = clientB.statistics.commands - commandsBefore
        // 2 + 198 failures against 200 successes: the ratio reaches 0.5 at the 198th, and not before.
        #expect(failuresUntilOpen == 198)
        #expect(b.state == .open)
        #expect(writes < 50)
        for service in services { service.cancel() }
        for service in services { _ = try? await service.value }
        await server.shutdown()
    }

    /// A failing call returns only once the answer its failure caused is applied, even when the flush that its
    /// failure signalled drained it before the call chose to wait: with nothing else pending, the call used to
    /// return at once, before the trip (about one call in ten here).
    @Test func aFailingCallSeesTheTripItCaused() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let registry = try SharedBreakerRegistry(client: client, options: options("tripper", lazy: .seconds(60)))
        let service = Task { try await registry.run() }
        let once = CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1), breakDuration: .fixed(.seconds(60)))
        var stillClosed: [String] = []
        for index in 0..<40 {
            let breaker = try registry.breaker(named: "trip-\(index)", configuration: once)
            try await waitUntilDelegated(breaker)
            await #expect(throws: DependencyDown.self) { try await fail(breaker) }
            if breaker.state != .open { stillClosed.append(breaker.name) }
        }
        #expect(stillClosed == [])
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }

    /// An allowance holds for the horizon (the lazy interval and one tick) after the flush Redis answered: the
    /// headroom was computed for no longer (successes leave the window). A failure after that is flushed at once and its call waits for the
    /// answer; it used to be held back until the next timer tick.
    @Test func anAllowanceEndsWithItsHorizon() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let lazy = Duration.milliseconds(300)
        var options = options("expiring", lazy: lazy)
        options.flushInterval = .milliseconds(100)
        let registry = try SharedBreakerRegistry(client: client, options: options)
        let breaker = try registry.breaker(named: "expiring", configuration: ratio)
        let service = Task { try await registry.run() }
        try await waitUntilDelegated(breaker)
        for _ in 0..<100 { _ = try await breaker.execute { 1 } }
        await #expect(throws: DependencyDown.self) { try await fail(breaker) }
        let first = try await report(of: "expiring", "expiring", in: registry.store)
        // Held back: well within the allowance (98) of the answer to the flush above.
        await #expect(throws: DependencyDown.self) { try await fail(breaker) }
        // The held-back failure goes with the lazy flush; the allowance of that flush's answer ends one horizon
        // after it started.
        var lazyFlush = first
        for _ in 0..<1_500 where lazyFlush == first {
            try await Task.sleep(for: .milliseconds(20))
            lazyFlush = try await report(of: "expiring", "expiring", in: registry.store)
        }
        #expect(lazyFlush.failures == 1)
        try await Task.sleep(until: ContinuousClock.now + lazy + options.flushInterval + .milliseconds(50))
        await #expect(throws: DependencyDown.self) { try await fail(breaker) }
        let afterExpiry = try await report(of: "expiring", "expiring", in: registry.store)
        #expect(afterExpiry.reportedAtMilliseconds > lazyFlush.reportedAtMilliseconds)
        #expect(afterExpiry.failures == 1)
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }
}
