import Foundation
import RedisClient
import SharedState
import Testing

@Suite struct DeadLetterStoreTests {
    @Test func addAndListKeepEveryByte() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("orders")
            let payload: [UInt8] = [0x00, 0x41, 0x00, 0xFF, 0x0A]
            let first = Date(timeIntervalSince1970: 1_700_000_000.123)
            let id = try #require(try await store.add(to: queue, payload: payload, error: "upstream answered 503", attempts: 3, firstFailure: first))

            let page = try await store.list(queue)
            #expect(page.nextCursor == nil)
            let letter = try #require(page.letters.first)
            #expect(page.letters.count == 1)
            #expect(letter.id == id)
            #expect(letter.payload == payload)
            #expect(letter.error == "upstream answered 503")
            #expect(letter.attempts == 3)
            #expect(letter.firstFailure == first)
            #expect(letter.lastFailure > first)
            #expect(try await store.get(id, in: queue) == letter)
            #expect(try await store.count(queue) == 1)
            #expect(try await store.client.send("TYPE", "bulwark:dlq:{orders}").string == "stream")
        }
    }

    @Test func pagesCoverEveryEntryOnce() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("paged")
            for index in 0..<25 { try await store.add(to: queue, payload: Array("\(index)".utf8), error: "e") }

            var seen: [String] = []
            var cursor: DeadLetterID?
            var pages = 0
            repeat {
                let page = try await store.list(queue, after: cursor, limit: 10)
                seen += texts(page)
                cursor = page.nextCursor
                pages += 1
            } while cursor != nil
            #expect(pages == 3)
            let added = (0..<25).map { "\($0)" }
            #expect(seen == added)
        }
    }

    @Test func lengthStaysBounded() async throws {
        let configuration = DeadLetterConfiguration(maximumLength: 50, exactTrimming: true)
        try await withDeadLetterStores(configuration: configuration) { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("bounded")
            for index in 0..<60 { try await store.add(to: queue, payload: Array("\(index)".utf8), error: "e") }
            #expect(try await store.count(queue) == 50)
            let page = try await store.list(queue, limit: 1)
            #expect(texts(page) == ["10"])
        }
    }

    @Test func approximateTrimmingNeverKeepsFewerThanTheBound() async throws {
        let configuration = DeadLetterConfiguration(maximumLength: 100)
        try await withDeadLetterStores(configuration: configuration) { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("approximate")
            for index in 0..<400 { try await store.add(to: queue, payload: Array("\(index)".utf8), error: "e") }
            let count = try await store.count(queue)
            #expect(count >= 100)
            #expect(count < 400)
        }
    }

    @Test func purgeRemovesOnlyOlderEntries() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("aging")
            try await store.add(to: queue, payload: Array("old".utf8), error: "e")
            try await Task.sleep(for: .milliseconds(1_100))
            try await store.add(to: queue, payload: Array("new-1".utf8), error: "e")
            try await store.add(to: queue, payload: Array("new-2".utf8), error: "e")

            #expect(try await store.purge(queue, olderThan: .seconds(1)) == 1)
            #expect(texts(try await store.list(queue)) == ["new-1", "new-2"])
            #expect(try await store.purge(queue, olderThan: .seconds(1)) == 0)
        }
    }

    @Test func deleteRemovesOneEntryOnce() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("deletes")
            let id = try #require(try await store.add(to: queue, payload: [1], error: "e"))
            try await store.add(to: queue, payload: [2], error: "e")
            #expect(try await store.delete(id, in: queue))
            #expect(try await !store.delete(id, in: queue))
            #expect(try await store.get(id, in: queue) == nil)
            #expect(try await store.count(queue) == 1)
        }
    }

    @Test(arguments: ["", String(repeating: "q", count: 65), "a:b", "a{b}", "a b", "a/b", "café"])
    func badQueueNamesAreRefusedBeforeAnythingIsWritten(name: String) async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let error = await #expect(throws: SharedStateError.self) {
                try await store.add(to: DeadLetterQueueName(name), payload: [1], error: "e")
            }
            #expect(error?.code == .invalidName)
            let keys = try await store.client.send("DBSIZE").int
            #expect(keys == 0)
        }
    }

    @Test func goodQueueNamesAreAccepted() throws {
        for name in ["a", "orders.v2_retry-1", String(repeating: "Z", count: 64)] {
            #expect(try DeadLetterQueueName(name).value == name)
        }
    }

    @Test func idsParseAndOrderLikeStreamIds() throws {
        let early = try DeadLetterID("1700000000000-5")
        let late = try DeadLetterID("1700000000001-0")
        #expect(early < late)
        #expect(early.description == "1700000000000-5")
        #expect(early.milliseconds == 1_700_000_000_000)
        for bad in ["", "12", "12-", "-3", "a-1", "1-2-3"] {
            #expect(throws: SharedStateError.self) { try DeadLetterID(bad) }
        }
    }

    @Test func configurationOutOfRangeIsRefused() async throws {
        let client = try RedisClient(url: "redis://127.0.0.1:1")
        defer { client.shutdown() }
        for configuration in [
            DeadLetterConfiguration(maximumLength: 0), DeadLetterConfiguration(pendingLimit: -1),
            DeadLetterConfiguration(flushInterval: .zero), DeadLetterConfiguration(retryLease: .milliseconds(99)),
            DeadLetterConfiguration(keyPrefix: "a{b}"),
        ] {
            let error = #expect(throws: SharedStateError.self) { try DeadLetterStore(client: client, configuration: configuration) }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}
