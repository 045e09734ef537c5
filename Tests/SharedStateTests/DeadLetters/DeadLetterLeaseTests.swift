import Foundation
import RedisClient
import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// A letter taken for a retry is held under a lease: it comes back when its retrying instance dies, and stays
/// out of its queue while a long handler still runs.
@Suite struct DeadLetterLeaseTests {
    private let configuration = DeadLetterConfiguration(flushInterval: .milliseconds(50), retryLease: .milliseconds(300))

    @Test func aRetryWhoseInstanceDiesComesBackUnchanged() async throws {
        try await withDeadLetterStores(2, configuration: configuration) { _, stores in
            let queue = try DeadLetterQueueName("leased")
            let first = Date(timeIntervalSince1970: 1_700_000_000)
            let id = try #require(try await stores[0].add(to: queue, payload: [0, 0xFF, 7], error: "first", attempts: 2, firstFailure: first))

            // The first instance takes the letter, then loses everything before its handler ends: nothing it
            // does afterwards reaches Redis, as when its process is killed mid-handler.
            let started = Atomic<Bool>(false)
            let dying = Task {
                try await stores[0].retry(id, in: queue) { _ in
                    started.store(true, ordering: .relaxed)
                    try await Task.sleep(for: .seconds(3_600))
                }
            }
            try await eventually { if !started.load(ordering: .relaxed) { throw NotYet() } }
            stores[0].client.shutdown()
            dying.cancel()
            _ = await dying.result
            #expect(try await stores[1].count(queue) == 0)

            // The other instance's service loop puts it back once the lease has run out.
            let runner = Task { try await stores[1].run() }
            defer { runner.cancel() }
            let back = try await eventually { () throws -> DeadLetter in
                guard let letter = try await stores[1].list(queue).letters.first else { throw NotYet() }
                return letter
            }
            #expect(back.payload == [0, 0xFF, 7])
            #expect(back.attempts == 2)
            #expect(back.error == "first")
            #expect(back.firstFailure == first)
            #expect(try await stores[1].count(queue) == 1)
            #expect(try await stores[1].client.send("ZCARD", "bulwark:dlq:{leased}:leases").int == 0)
            #expect(try await stores[1].client.send("EXISTS", "bulwark:dlq:{leased}:taken:\(id)").int == 0)

            let retried = try await stores[1].retry(back.id, in: queue) { _ in }
            #expect(retried == .succeeded)
            #expect(try await stores[1].count(queue) == 0)
        }
    }

    @Test func aHandlerLongerThanTheLeaseKeepsItsLetter() async throws {
        try await withDeadLetterStores(2, configuration: configuration) { _, stores in
            let queue = try DeadLetterQueueName("slow")
            let id = try #require(try await stores[0].add(to: queue, payload: Array("m".utf8), error: "e"))
            let runs = Atomic<Int>(0)
            // Another instance reclaims over and over while the handler runs four leases long.
            let reclaimer = Task { () -> Int in
                var reclaimed = 0
                while !Task.isCancelled {
                    reclaimed += (try? await stores[1].reclaimAbandoned()) ?? 0
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return reclaimed
            }
            let outcome = try await stores[0].retry(id, in: queue) { _ in
                runs.add(1, ordering: .relaxed)
                try await Task.sleep(for: .milliseconds(1_200))
            }
            reclaimer.cancel()
            #expect(outcome == .succeeded)
            #expect(await reclaimer.value == 0)
            #expect(runs.load(ordering: .relaxed) == 1)
            #expect(try await stores[1].count(queue) == 0)
            #expect(try await stores[1].client.send("ZCARD", "bulwark:dlq:{slow}:leases").int == 0)
        }
    }

    @Test func aSettledRetryLeavesNoLease() async throws {
        try await withDeadLetterStores(configuration: configuration) { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("settled")
            let failing = try #require(try await store.add(to: queue, payload: [1], error: "e"))
            let retried = try await store.retry(failing, in: queue) { _ in throw HandlerFailure(text: "again") }
            #expect(retried == .failedAgain(attempts: 2))
            try await Task.sleep(for: .milliseconds(400))
            #expect(try await store.reclaimAbandoned() == 0)
            #expect(try await store.count(queue) == 1)
            #expect(try await store.client.send("ZCARD", "bulwark:dlq:{settled}:leases").int == 0)
            #expect(try await store.client.send("EXISTS", "bulwark:dlq:{settled}:taken:\(failing)").int == 0)
        }
    }
}
