import Foundation
import Logging
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

@testable import BulwarkService

/// The fleet view built from a real Redis where several instances report the same breakers.
@Suite(.serialized) struct BreakerOverviewTests {
    /// Another instance of the fleet: its own client and registry on the same Redis and prefix.
    struct Peer {
        let client: RedisClient
        let registry: SharedBreakerRegistry
        let task: Task<Void, any Error>

        init(id: String, redisURL: String, prefix: String) throws {
            var logger = Logger(label: "peer")
            logger.logLevel = .critical
            client = try RedisClient(url: redisURL, logger: logger)
            let registry = try SharedBreakerRegistry(
                client: client,
                // Reports every 300 ms even with successes alone (lazy flushing would wait seconds), so the rates
                // the overview computes have samples to work on within the test's wait.
                options: SharedBreakerOptions(
                    instanceID: id,
                    heartbeatInterval: .milliseconds(200),
                    keyPrefix: prefix,
                    lazyFlushInterval: .milliseconds(300)
                ),
                logger: logger
            )
            self.registry = registry
            task = Task { try await registry.run() }
        }

        func breaker(_ name: String) throws -> CircuitBreaker {
            try registry.breaker(named: name, configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(10_000)))
        }

        func stop() async {
            task.cancel()
            _ = try? await task.value
            client.shutdown()
        }
    }

    struct Boom: Error {}

    @Test func everyInstancesReportIsCombinedWithTheSharedStateAndSortedWorstFirst() async throws {
        try await ServiceHarness.run { service in
            let prefix = service.components.configuration.keyPrefix
            let alpha = try Peer(id: "alpha", redisURL: service.redis.url, prefix: prefix)
            let beta = try Peer(id: "beta", redisURL: service.redis.url, prefix: prefix)
            let alphaPayments = try alpha.breaker("payments")
            let betaPayments = try beta.breaker("payments")
            let alphaInventory = try alpha.breaker("inventory")
            let overview = BreakerOverview(components: service.components, logger: Logger(label: "overview"))

            // Calls keep flowing while the overview is read, as in a running fleet: alpha succeeds, beta fails.
            let traffic = Task {
                while !Task.isCancelled {
                    _ = try? await alphaPayments.execute { "ok" }
                    _ = try? await betaPayments.execute { () async throws -> String in throw Boom() }
                    _ = try? await alphaInventory.execute { "ok" }
                    try? await Task.sleep(for: .milliseconds(20))
                }
            }
            let list = try await eventually(attempts: 200) {
                let list = try await overview.list()
                guard let payments = list.breakers.first(where: { $0.name == "payments" }), payments.instances.count == 2,
                    payments.callsPerSecond > 0, let ratio = payments.failureRatio, ratio > 0.2, ratio < 0.8
                else { throw NotYet() }
                return list
            }
            #expect(Set(list.liveInstances).isSuperset(of: ["alpha", "beta"]))
            let listedPayments = list.breakers.first { $0.name == "payments" }
            let payments = try #require(listedPayments)
            #expect(payments.state == "closed")
            #expect(payments.instancesClosed == ["alpha", "beta"])
            #expect(payments.instances.map(\.id) == ["alpha", "beta"])
            #expect(payments.instances[0].failureRatio == 0)
            #expect(payments.instances[1].failureRatio == 1)
            #expect(payments.severity == 1, "closed but failing")

            // An operator forces inventory open: it goes to the top, and alpha's next report sees it open.
            try await service.components.breakers.store.command(.isolate, breaker: try BreakerName("inventory"))
            let isolated = try await eventually(attempts: 200) {
                let list = try await overview.list()
                guard let first = list.breakers.first, first.name == "inventory", first.instancesOpen == ["alpha"],
                    first.rejectedTotal > 0
                else { throw NotYet() }
                return list
            }
            #expect(isolated.breakers.map(\.name) == ["inventory", "payments"])
            #expect(isolated.breakers[0].state == "isolated")
            #expect(isolated.breakers[0].severity == 5)

            // A stopped instance leaves the view with its heartbeat.
            traffic.cancel()
            await beta.stop()
            let withoutBeta = try await eventually(attempts: 300) {
                let list = try await overview.list()
                guard !list.liveInstances.contains("beta") else { throw NotYet() }
                return list
            }
            let paymentsInstances = withoutBeta.breakers.first { $0.name == "payments" }?.instances.map(\.id)
            #expect(paymentsInstances == ["alpha"])
            await alpha.stop()
        }
    }

    /// Fifty callers at once (API requests, dashboards) share reads of Redis: one read at a time for the process,
    /// and each caller still gets a view read after it asked. Each used to make its own read.
    @Test func concurrentCallersShareReadsAndEachGetsAFreshOne() async throws {
        try await ServiceHarness.run { service in
            let prefix = service.components.configuration.keyPrefix
            let peer = try Peer(id: "peer", redisURL: service.redis.url, prefix: prefix)
            _ = try peer.breaker("payments")
            let overview = BreakerOverview(components: service.components, logger: Logger(label: "overview"))
            _ = try await eventually(attempts: 300) {
                guard try await overview.list().breakers.contains(where: { $0.name == "payments" }) else { throw NotYet() }
            }
            let readsBefore = await overview.reads
            let stale = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask {
                        let asked = Date()
                        let list = try await overview.list()
                        return list.refreshedAt < asked
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            let reads = await overview.reads - readsBefore
            #expect(stale == 0)
            #expect(reads >= 1)
            #expect(reads < 50)
            await peer.stop()
        }
    }

    @Test func severityRanksForcedOpenAboveOpenAboveHalfOpenAboveMixedViews() {
        #expect(BreakerOverview.severity(of: .isolated, failureRatio: nil, seen: []) == 5)
        #expect(BreakerOverview.severity(of: .open, failureRatio: nil, seen: []) == 4)
        #expect(BreakerOverview.severity(of: .halfOpen, failureRatio: nil, seen: []) == 3)
        #expect(BreakerOverview.severity(of: .closed, failureRatio: 0, seen: [.closed, .open]) == 2)
        #expect(BreakerOverview.severity(of: .closed, failureRatio: 0.1, seen: [.closed]) == 1)
        #expect(BreakerOverview.severity(of: .closed, failureRatio: nil, seen: [.closed]) == 0)
        #expect(BreakerOverview.severity(of: .disabled, failureRatio: 0.9, seen: []) == 0)
    }
}

private struct NotYet: Error {}
