import RedisClient
import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// Retry requests from a process without handlers (the command line), run by the listeners of instances that have one.
@Suite struct DeadLetterRetryRequestTests {
    @Test func anInstanceWithTheHandlerRunsTheLetterAndAnswers() async throws {
        try await withDeadLetterStores(2) { _, stores in
            let (requester, instance) = (stores[0], stores[1])
            let orders = try DeadLetterQueueName("orders")
            let seen = Mutex<[String]>([])
            instance.register(orders) { letter in seen.withLock { $0.append(String(decoding: letter.payload, as: UTF8.self)) } }
            try await withListeners([DeadLetterRetryListener(store: instance, instanceID: "worker-1")], on: requester) {
                let id = try #require(try await requester.add(to: orders, payload: Array("order-7".utf8), error: "503"))
                let answer = try await requester.requestRetry(id, in: orders)
                #expect(answer == DeadLetterRetryAnswer(outcome: .succeeded, instance: "worker-1"))
                let handled = seen.withLock { $0 }
                #expect(handled == ["order-7"])
                #expect(try await requester.get(id, in: orders) == nil)
            }
        }
    }

    @Test func aHandlerThatFailsAgainPutsTheLetterBackAndSaysSo() async throws {
        try await withDeadLetterStores(2) { _, stores in
            let (requester, instance) = (stores[0], stores[1])
            let orders = try DeadLetterQueueName("orders")
            instance.register(orders) { _ in throw HandlerFailure(text: "still down") }
            try await withListeners([DeadLetterRetryListener(store: instance, instanceID: "worker-1")], on: requester) {
                let id = try #require(try await requester.add(to: orders, payload: [1, 2], error: "503", attempts: 2))
                let answer = try await requester.requestRetry(id, in: orders)
                #expect(answer == DeadLetterRetryAnswer(outcome: .failedAgain(attempts: 3), instance: "worker-1"))
                let letters = try await requester.list(orders).letters
                #expect(letters.map(\.attempts) == [3])
                #expect(letters.map(\.payload) == [[1, 2]])
            }
        }
    }

    @Test func ofSeveralInstancesOnlyOneRunsTheLetterAndOnesWithoutAHandlerLeaveItAlone() async throws {
        try await withDeadLetterStores(4) { _, stores in
            let requester = stores[0]
            let orders = try DeadLetterQueueName("orders")
            let runs = Mutex(0)
            for store in stores[1...2] {
                store.register(orders) { _ in runs.withLock { $0 += 1 } }
            }
            let listeners = stores[1...].enumerated().map { DeadLetterRetryListener(store: $0.element, instanceID: "worker-\($0.offset)") }
            try await withListeners(listeners, on: requester) {
                let id = try #require(try await requester.add(to: orders, payload: [7], error: "e"))
                let answer = try #require(try await requester.requestRetry(id, in: orders))
                #expect(answer.outcome == .succeeded)
                #expect(["worker-0", "worker-1"].contains(answer.instance))
                let handlerRuns = runs.withLock { $0 }
                #expect(handlerRuns == 1)
                #expect(try await requester.count(orders) == 0)
            }
        }
    }

    @Test func noHandlerAnywhereAnswersNilAtOnceAndLeavesTheLetter() async throws {
        try await withDeadLetterStores(2) { _, stores in
            let (requester, instance) = (stores[0], stores[1])
            let queue = try DeadLetterQueueName("unhandled")
            try await withListeners([DeadLetterRetryListener(store: instance, instanceID: "worker-1")], on: requester) {
                let id = try #require(try await requester.add(to: queue, payload: [1], error: "e"))
                // A long timeout: the answer comes from the listener's `no-handler`, not from waiting it out.
                #expect(try await requester.requestRetry(id, in: queue, timeout: .seconds(60)) == nil)
                #expect(try await requester.get(id, in: queue) != nil)
            }
        }
    }

    @Test func withoutAnyListenerTheRequestAnswersNil() async throws {
        try await withDeadLetterStores { _, stores in
            let queue = try DeadLetterQueueName("orders")
            let id = try #require(try await stores[0].add(to: queue, payload: [1], error: "e"))
            #expect(try await stores[0].requestRetry(id, in: queue, timeout: .seconds(60)) == nil)
            #expect(try await stores[0].get(id, in: queue) != nil)
        }
    }

    @Test func anUnknownLetterIsNotFound() async throws {
        try await withDeadLetterStores(2) { _, stores in
            let (requester, instance) = (stores[0], stores[1])
            let orders = try DeadLetterQueueName("orders")
            instance.register(orders) { _ in }
            try await withListeners([DeadLetterRetryListener(store: instance, instanceID: "worker-1")], on: requester) {
                let answer = try await requester.requestRetry(try DeadLetterID("1-0"), in: orders)
                #expect(answer == DeadLetterRetryAnswer(outcome: .notFound, instance: "worker-1"))
            }
        }
    }

    @Test func redisUnreachableIsStoreUnavailable() async throws {
        try await withDeadLetterStores { server, stores in
            try await server.stop()
            let error = await #expect(throws: SharedStateError.self) {
                try await stores[0].requestRetry(try DeadLetterID("1-0"), in: try DeadLetterQueueName("orders"), timeout: .seconds(1))
            }
            #expect(error?.code == .storeUnavailable)
        }
    }

    @Test func theAgeCountMatchesWhatPurgeRemoves() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("aging")
            for index in 0..<3 { try await store.add(to: queue, payload: [UInt8(index)], error: "e") }
            #expect(try await store.count(queue, olderThan: .seconds(3_600)) == 0)
            try await Task.sleep(for: .milliseconds(30))
            #expect(try await store.count(queue, olderThan: .milliseconds(10)) == 3)
            #expect(try await store.count(queue) == 3, "counting removes nothing")
            #expect(try await store.purge(queue, olderThan: .milliseconds(10)) == 3)
        }
    }
}

/// Runs the listeners while `body` runs, once every one of them has subscribed.
private func withListeners(
    _ listeners: [DeadLetterRetryListener],
    on requester: DeadLetterStore,
    _ body: () async throws -> Void
) async throws {
    let tasks = listeners.map { listener in Task { try await listener.run() } }
    defer { for task in tasks { task.cancel() } }
    try await eventually(attempts: 200) {
        let reply = try await requester.client.send("PUBSUB", "NUMSUB", requester.retryRequestsChannel)
        guard (reply.array?.last?.int ?? 0) >= listeners.count else { throw NotYet() }
    }
    try await body()
}
