import RedisClient
import RedisTestSupport
import SharedState
import Testing

/// Two deployments with different key prefixes share one Redis without seeing each other's queues, leases
/// or retry requests.
@Suite struct DeadLetterPrefixIsolationTests {
    @Test func twoPrefixesOnOneRedisAreIsolated() async throws {
        let server = try await RedisServerProcess.start()
        let clients = try (0..<2).map { _ in try RedisClient(url: server.url) }
        let lease = Duration.milliseconds(200)
        let alpha = try DeadLetterStore(client: clients[0], configuration: DeadLetterConfiguration(retryLease: lease, keyPrefix: "alpha"))
        let beta = try DeadLetterStore(client: clients[1], configuration: DeadLetterConfiguration(retryLease: lease, keyPrefix: "beta"))
        let orders = try DeadLetterQueueName("orders")
        beta.register(orders) { _ in }
        let betaListener = Task { try await DeadLetterRetryListener(store: beta, instanceID: "beta").run() }
        func stop() async {
            betaListener.cancel()
            for client in clients { client.shutdown() }
            await server.shutdown()
        }
        do {
            let alphaID = try #require(try await alpha.add(to: orders, payload: Array("a".utf8), error: "e"))
            _ = try #require(try await beta.add(to: orders, payload: Array("b".utf8), error: "e"))
            #expect(try await alpha.count(orders) == 1)
            #expect(try await beta.count(orders) == 1)
            try await eventually { () async throws in
                guard try await clients[0].send("PUBSUB", "NUMSUB", beta.retryRequestsChannel).array?.last?.int == 1 else { throw NotYet() }
            }
            // Beta's listener has a handler for the queue, but alpha's request reaches no instance of alpha's.
            #expect(try await alpha.requestRetry(alphaID, in: orders, timeout: .seconds(5)) == nil)

            // A retry of alpha's whose instance dies leaves a lease that only alpha's stores reclaim.
            let taken = Task { try await alpha.retry(alphaID, in: orders) { _ in try await Task.sleep(for: .seconds(3_600)) } }
            try await eventually { () async throws in
                guard try await alpha.count(orders) == 0 else { throw NotYet() }
            }
            clients[0].shutdown()
            taken.cancel()
            _ = await taken.result
            // Once the lease has run out by Redis's clock, beta's reclaim leaves it alone and alpha's takes it back.
            try await eventually { () async throws in
                let time = try await clients[1].send("TIME").array?.compactMap(\.string).compactMap { Int($0) } ?? []
                let now = time.count == 2 ? time[0] * 1_000 + time[1] / 1_000 : 0
                let due = try await clients[1].send("ZRANGEBYSCORE", "alpha:dlq:{orders}:leases", "-inf", now).array ?? []
                guard due.count == 1 else { throw NotYet() }
            }
            #expect(try await beta.reclaimAbandoned() == 0)
            #expect(try await beta.count(orders) == 1)
            let alphaAgain = try DeadLetterStore(client: clients[1], configuration: DeadLetterConfiguration(keyPrefix: "alpha"))
            #expect(try await alphaAgain.reclaimAbandoned() == 1)
            #expect(try await alphaAgain.count(orders) == 1)

            for name in try await allKeys(clients[1]) {
                #expect(name.hasPrefix("alpha:") || name.hasPrefix("beta:"), "key \(name) is outside both prefixes")
            }
            let channels = try await clients[1].send("PUBSUB", "CHANNELS").array?.compactMap(\.string) ?? []
            #expect(channels == ["beta:dlq-retry-requests"])
        } catch {
            await stop()
            throw error
        }
        await stop()
    }
}
