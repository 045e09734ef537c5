import RedisClient
import RedisTestSupport
import Testing

@testable import SharedState

/// No lease renewal outlives its retry (issue 14, finding 13).
@Suite struct DeadLetterHelperTaskTests {
    @Test func aRetryWhoseLetterCannotGoBackStopsRenewingItsLease() async throws {
        let configuration = DeadLetterConfiguration(retryLease: .milliseconds(300))
        try await withDeadLetterStores(1, configuration: configuration) { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("broken")
            let id = try #require(try await store.add(to: queue, payload: Array("m".utf8), error: "e"))
            let streamKey = store.key(queue)
            // While the handler runs, the queue's key comes to hold another type: putting the letter back fails.
            await #expect(throws: SharedStateError.self) {
                try await store.retry(id, in: queue) { _ in
                    _ = try await store.client.transaction([RedisCommand("DEL", streamKey), RedisCommand("SET", streamKey, "not a stream")])
                    throw HandlerFailure(text: "m")
                }
            }
            try await eventually { () throws in
                guard store.helpers.count == 0 else { throw NotYet() }
            }
            // The lease is left to run out, so that the letter comes back as it was taken.
            #expect(try await store.client.send("ZCARD", queue.leasesKey(prefix: configuration.keyPrefix)).int == 1)
        }
    }
}
