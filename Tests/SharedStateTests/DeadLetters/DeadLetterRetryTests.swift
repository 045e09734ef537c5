import Foundation
import SharedState
import Synchronization
import Testing

@Suite struct DeadLetterRetryTests {
    @Test func successfulRetryRunsTheHandlerOnceAndRemovesTheEntry() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("retry-ok")
            let id = try #require(try await store.add(to: queue, payload: Array("m".utf8), error: "e"))
            let seen = Mutex<[[UInt8]]>([])
            let outcome = try await store.retry(id, in: queue) { letter in seen.withLock { $0.append(letter.payload) } }
            #expect(outcome == .succeeded)
            let handled = seen.withLock { $0 }
            #expect(handled == [Array("m".utf8)])
            #expect(try await store.count(queue) == 0)
            let retriedAgain = try await store.retry(id, in: queue) { _ in Issue.record("ran for a missing entry") }
            #expect(retriedAgain == .notFound)
        }
    }

    @Test func failedRetryComesBackWithOneMoreAttemptAndTheSameFirstFailure() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("retry-fail")
            let first = Date(timeIntervalSince1970: 1_700_000_000)
            let id = try #require(try await store.add(to: queue, payload: [0, 1, 2], error: "first", attempts: 2, firstFailure: first))
            let before = try #require(try await store.get(id, in: queue))

            let outcome = try await store.retry(id, in: queue) { _ in throw HandlerFailure(text: "again") }
            #expect(outcome == .failedAgain(attempts: 3))
            let page = try await store.list(queue)
            let after = try #require(page.letters.first)
            #expect(page.letters.count == 1)
            #expect(after.id > id)
            #expect(after.payload == [0, 1, 2])
            #expect(after.attempts == 3)
            #expect(after.firstFailure == before.firstFailure)
            #expect(after.lastFailure >= before.lastFailure)
            #expect(after.error == "handler refused again")
        }
    }

    @Test func twoInstancesRetryingOneEntryRunTheHandlerOnce() async throws {
        try await withDeadLetterStores(2) { _, stores in
            let queue = try DeadLetterQueueName("contended")
            for round in 0..<20 {
                let id = try #require(try await stores[0].add(to: queue, payload: Array("\(round)".utf8), error: "e"))
                let runs = Atomic<Int>(0)
                let handler: @Sendable (DeadLetter) async throws -> Void = { _ in
                    runs.add(1, ordering: .relaxed)
                    try await Task.sleep(for: .milliseconds(5))
                }
                async let first = stores[0].retry(id, in: queue, handler: handler)
                async let second = stores[1].retry(id, in: queue, handler: handler)
                let outcomes = try await [first, second]
                #expect(runs.load(ordering: .relaxed) == 1)
                let successes = outcomes.filter { $0 == .succeeded }.count
                let notFounds = outcomes.filter { $0 == .notFound }.count
                #expect(successes == 1, "\(outcomes)")
                #expect(notFounds == 1, "\(outcomes)")
            }
            #expect(try await stores[1].count(queue) == 0)
        }
    }

    @Test func batchCountsSuccessesAndFailuresAndRetriesEachOnce() async throws {
        try await withDeadLetterStores { _, stores in
            let store = stores[0]
            let queue = try DeadLetterQueueName("batch")
            for index in 0..<7 { try await store.add(to: queue, payload: [UInt8(index)], error: "e") }
            let runs = Atomic<Int>(0)
            let result = try await store.retryBatch(queue, limit: 5) { letter in
                runs.add(1, ordering: .relaxed)
                if letter.payload[0] % 2 == 1 { throw HandlerFailure(text: "odd") }
            }
            #expect(result == DeadLetterBatchResult(succeeded: 3, failedAgain: 2, skipped: 0))
            #expect(runs.load(ordering: .relaxed) == 5)
            let left = try await store.list(queue).letters
            #expect(left.map(\.payload) == [[5], [6], [1], [3]])
            #expect(left.map(\.attempts) == [1, 1, 2, 2])
        }
    }
}
