import SharedState
import Synchronization
import Testing

@Suite struct DeadLetterRegisteredHandlerTests {
    @Test func retriesRunTheHandlerRegisteredForTheQueue() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let orders = try DeadLetterQueueName("orders")
            let invoices = try DeadLetterQueueName("invoices")
            let seen = Mutex<[String]>([])
            store.register(orders) { letter in seen.withLock { $0.append("orders:" + String(decoding: letter.payload, as: UTF8.self)) } }
            store.register(invoices) { _ in throw HandlerFailure(text: "invoice") }
            let id = try #require(try await store.add(to: orders, payload: Array("a".utf8), error: "e"))
            try await store.add(to: orders, payload: Array("b".utf8), error: "e")
            try await store.add(to: invoices, payload: Array("c".utf8), error: "e")

            #expect(try await store.retry(id, in: orders) == .succeeded)
            #expect(try await store.retryBatch(orders, limit: 10) == DeadLetterBatchResult(succeeded: 1))
            #expect(try await store.retryBatch(invoices, limit: 10) == DeadLetterBatchResult(failedAgain: 1))
            let handled = seen.withLock { $0 }
            #expect(handled == ["orders:a", "orders:b"])
        }
    }

    @Test func withoutARegisteredHandlerNothingIsTaken() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("unhandled")
            let id = try #require(try await store.add(to: queue, payload: [1], error: "e"))
            let error = await #expect(throws: SharedStateError.self) { try await store.retry(id, in: queue) }
            #expect(error?.code == .invalidConfiguration)
            let batchError = await #expect(throws: SharedStateError.self) { try await store.retryBatch(queue, limit: 5) }
            #expect(batchError?.code == .invalidConfiguration)
            #expect(try await store.get(id, in: queue) != nil)
        }
    }
}
