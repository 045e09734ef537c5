import RedisClient
import RedisTestSupport
import SharedState
import Testing

@Suite struct DeadLetterFallbackTests {
    @Test func addsWhileRedisIsDownAreReplayedInOrder() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("outage")
            try await store.add(to: queue, payload: Array("before".utf8), error: "e")
            try await server.stop()

            for index in 0..<3 {
                let id = try await store.add(to: queue, payload: Array("down-\(index)".utf8), error: "e", attempts: index + 1)
                #expect(id == nil)
            }
            #expect(store.pendingCount == 3)
            let listError = await #expect(throws: SharedStateError.self) { try await store.list(queue) }
            #expect(listError?.code == .storeUnavailable)
            let countError = await #expect(throws: SharedStateError.self) { try await store.count(queue) }
            #expect(countError?.code == .storeUnavailable)
            let flushError = await #expect(throws: SharedStateError.self) { try await store.flushPending() }
            #expect(flushError?.code == .storeUnavailable)
            #expect(store.pendingCount == 3)

            try await server.restart()
            _ = try await eventually(attempts: 200) { try await store.flushPending() }
            #expect(store.pendingCount == 0)
            let page = try await store.list(queue)
            #expect(texts(page) == ["down-0", "down-1", "down-2"])
            #expect(page.letters.map(\.attempts) == [1, 2, 3])
            #expect(store.droppedCount == 0)
        }
    }

    @Test func theBufferKeepsTheNewestAndCountsWhatItDrops() async throws {
        try await withDeadLetterStores(configuration: DeadLetterConfiguration(pendingLimit: 2)) { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("overflow")
            try await server.stop()
            for index in 0..<5 { try await store.add(to: queue, payload: Array("\(index)".utf8), error: "e") }
            #expect(store.pendingCount == 2)
            #expect(store.droppedCount == 3)

            try await server.restart()
            _ = try await eventually(attempts: 200) { try await store.flushPending() }
            #expect(texts(try await store.list(queue)) == ["3", "4"])
        }
    }

    @Test func addsAfterAnOutageGoBehindTheBufferedOnes() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("ordering")
            try await server.stop()
            try await store.add(to: queue, payload: Array("buffered".utf8), error: "e")
            try await server.restart()
            _ = try await eventually(attempts: 200) { try await store.client.send("PING") }
            #expect(store.pendingCount == 1)
            let id = try await store.add(to: queue, payload: Array("live".utf8), error: "e")
            #expect(id != nil)
            #expect(store.pendingCount == 0)
            #expect(texts(try await store.list(queue)) == ["buffered", "live"])
        }
    }

    @Test func aLetterRedisRefusesForGoodIsDroppedAndDoesNotBlockTheOthers() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let broken = try DeadLetterQueueName("broken")
            let healthy = try DeadLetterQueueName("healthy")
            try await server.stop()
            try await store.add(to: broken, payload: [1], error: "e")
            try await store.add(to: healthy, payload: [2], error: "e")
            try await server.restart()
            _ = try await eventually(attempts: 200) { try await store.client.send("SET", "bulwark:dlq:{broken}", "not a stream") }

            #expect(try await store.flushPending() == 1)
            #expect(store.pendingCount == 0)
            #expect(store.droppedCount == 1)
            #expect(try await store.list(healthy).letters.map(\.payload) == [[2]])
            let error = await #expect(throws: SharedStateError.self) { try await store.add(to: broken, payload: [3], error: "e") }
            #expect(error?.code == .storeUnavailable)
            #expect(store.pendingCount == 0)
        }
    }

    @Test func runReplaysTheBufferByItself() async throws {
        let configuration = DeadLetterConfiguration(flushInterval: .milliseconds(50))
        try await withDeadLetterStores(configuration: configuration) { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("background")
            let service = Task { try await store.run() }
            defer { service.cancel() }
            try await server.stop()
            try await store.add(to: queue, payload: Array("waiting".utf8), error: "e")
            #expect(store.pendingCount == 1)
            try await server.restart()
            let page = try await eventually(attempts: 200) {
                let page = try await store.list(queue)
                guard !page.letters.isEmpty else { throw NotYet() }
                return page
            }
            #expect(texts(page) == ["waiting"])
            #expect(store.pendingCount == 0)
        }
    }

    @Test func retryFailsClosedWhileRedisIsDown() async throws {
        try await withDeadLetterStores { server, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("closed")
            let id = try #require(try await store.add(to: queue, payload: [1], error: "e"))
            try await server.stop()
            let error = await #expect(throws: SharedStateError.self) {
                try await store.retry(id, in: queue) { _ in Issue.record("the handler ran while Redis was down") }
            }
            #expect(error?.code == .storeUnavailable)
            let purgeError = await #expect(throws: SharedStateError.self) { try await store.purge(queue, olderThan: .zero) }
            #expect(purgeError?.code == .storeUnavailable)
        }
    }
}
