import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import SharedState
import Testing

/// `bulwark dlq …` against a running `bulwark serve --demo`, whose handler for `demo-orders` runs the retries.
@Suite(.serialized) struct DeadLetterCommandTests {
    @Test func retryRunsTheLetterThroughTheServicesHandler() async throws {
        try await withCLIHarness(prefix: "cli-dlq") { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            let store = try DeadLetterStore(client: harness.client, configuration: DeadLetterConfiguration(keyPrefix: harness.prefix))
            let orders = try DeadLetterQueueName("demo-orders")
            var id = try #require(try await store.add(to: orders, payload: Array("cli-order-1".utf8), error: "inventory answered 503"))
            try await harness.waitForSubscribers(store.retryRequestsChannel)

            let list = try await harness.bulwark("dlq", "list", "demo-orders", "--limit", "1000", "--json")
            #expect(list.status == 0)
            let page = try list.json()
            #expect(page["queue"] as? String == "demo-orders")
            #expect((page["total"] as? Int ?? 0) >= 1)
            let listedLetter = (page["letters"] as? [[String: Any]])?.first { $0["id"] as? String == id.description }
            let letter = try #require(listedLetter)
            #expect(letter["payload"] as? String == "cli-order-1")
            #expect(letter["payloadEncoding"] as? String == "utf8")
            #expect(letter["error"] as? String == "inventory answered 503")
            #expect(letter["attempts"] as? Int == 1)

            // The demo handler calls a dependency that fails one call in a hundred: a letter that fails again is
            // back in the queue under a new id, and is retried again.
            var retry = try await harness.bulwark("dlq", "retry", "demo-orders", id.description, "--json")
            for _ in 0..<3 where retry.status == 75 {
                let again = try #require(try await Self.find("cli-order-1", in: orders, store))
                id = again
                retry = try await harness.bulwark("dlq", "retry", "demo-orders", id.description, "--json")
            }
            #expect(retry.status == 0, "\(retry.standardError)")
            let answer = try retry.json()
            #expect(answer["outcome"] as? String == "succeeded")
            #expect(answer["instance"] as? String == "cli-serve")
            #expect(answer["id"] as? String == id.description)
            #expect(try await store.get(id, in: orders) == nil)
            #expect(try await Self.find("cli-order-1", in: orders, store) == nil)
            let (_, body) = try await ServiceHTTP.json(serve, "/api/v1/dlq/demo-orders?limit=1000")
            let stillListed = ((body["letters"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == id.description }
            #expect(!stillListed)

            let gone = try await harness.bulwark("dlq", "retry", "demo-orders", id.description)
            #expect(gone.status == 66)
            #expect(gone.errorLines.count == 1)
        }
    }

    @Test func retryWithoutAHandlerInAnyInstanceIsUnavailableAndLeavesTheLetter() async throws {
        try await withCLIHarness(prefix: "cli-dlq-none") { harness in
            let serve = try await harness.serve(instance: "cli-serve", demo: true)
            defer { Task { await serve.process.terminate() } }
            let store = try DeadLetterStore(client: harness.client, configuration: DeadLetterConfiguration(keyPrefix: harness.prefix))
            let queue = try DeadLetterQueueName("unhandled")
            let id = try #require(try await store.add(to: queue, payload: [0xFF, 0x00], error: "e"))
            try await harness.waitForSubscribers(store.retryRequestsChannel)

            let output = try await harness.bulwark("dlq", "retry", "unhandled", id.description, "--timeout", "30s")
            #expect(output.status == 69)
            #expect(output.errorLines.count == 1)
            #expect(output.standardError.contains("no running instance with a retry handler for queue 'unhandled'"))
            #expect(try await store.get(id, in: queue) != nil)

            let list = try await harness.bulwark("dlq", "list", "unhandled", "--json")
            let letters = try list.json()["letters"] as? [[String: Any]] ?? []
            #expect(letters.first?["payloadEncoding"] as? String == "base64")
            #expect(letters.first?["payload"] as? String == "/wA=")

            let badID = try await harness.bulwark("dlq", "retry", "unhandled", "yesterday")
            #expect(badID.status == 64)
            #expect(badID.errorLines.count == 1)
        }
    }

    @Test func purgeRefusesMalformedDurationsAndUnconfirmedRunsThenRemovesOnlyOldLetters() async throws {
        try await withCLIHarness(prefix: "cli-purge") { harness in
            let serve = try await harness.serve(instance: "cli-serve")
            defer { Task { await serve.process.terminate() } }
            let store = try DeadLetterStore(client: harness.client, configuration: DeadLetterConfiguration(keyPrefix: harness.prefix))
            let queue = try DeadLetterQueueName("stale")
            // Three letters that entered the stream in 1970, written as the store writes them, and one of now.
            for index in 1...3 {
                try await harness.client.send(
                    "XADD",
                    "cli-purge:dlq:{stale}",
                    "\(index)000-0",
                    "payload",
                    "old-\(index)",
                    "error",
                    "e",
                    "attempts",
                    "1",
                    "first_failure",
                    "\(index)000",
                    "last_failure",
                    "\(index)000"
                )
            }
            try await store.add(to: queue, payload: Array("fresh".utf8), error: "e")

            for duration in ["5x", "0s", "h", "1.5h", "30"] {
                let malformed = try await harness.bulwark("dlq", "purge", "stale", "--older-than", duration, "--yes")
                #expect(malformed.status == 64, "--older-than \(duration)")
                #expect(malformed.errorLines.count == 1)
                #expect(malformed.standardError.contains("is not a duration"))
            }
            let refused = try await harness.bulwark("dlq", "purge", "stale", "--older-than", "1h")
            #expect(refused.status == 64)
            #expect(refused.errorLines.count == 1)
            #expect(refused.standardError.contains("3 dead letters"))
            #expect(try await store.count(queue) == 4)

            let purged = try await harness.bulwark("dlq", "purge", "stale", "--older-than", "1h", "--yes", "--json")
            #expect(purged.status == 0)
            let answer = try purged.json()
            #expect(answer["purged"] as? Int == 3)
            #expect(answer["olderThanSeconds"] as? Int == 3_600)
            let (_, body) = try await ServiceHTTP.json(serve, "/api/v1/dlq/stale")
            #expect(body["total"] as? Int == 1)
            #expect((body["letters"] as? [[String: Any]])?.first?["payload"] as? String == "fresh")
        }
    }

    /// The id of the letter whose payload is `text`, if the queue holds one.
    static func find(_ text: String, in queue: DeadLetterQueueName, _ store: DeadLetterStore) async throws -> DeadLetterID? {
        var cursor: DeadLetterID?
        repeat {
            let page = try await store.list(queue, after: cursor, limit: 1_000)
            if let letter = page.letters.first(where: { $0.payload == Array(text.utf8) }) { return letter.id }
            cursor = page.nextCursor
        } while cursor != nil
        return nil
    }
}
