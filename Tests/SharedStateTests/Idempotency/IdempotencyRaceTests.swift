import RedisClient
import RedisTestSupport
import SharedState
import Synchronization
import Testing

/// Many callers of separate instances race over the same keys.
@Suite struct IdempotencyRaceTests {
    private static let keyCount = 1_000
    private static let tasksPerInstance = 16

    @Test func everyKeyRunsExactlyOnceAndEveryCallerGetsItsOneResult() async throws {
        try await withIdempotencyStores(2) { server, stores in
            let executions = ExecutionCounts()
            let seen = try await withThrowingTaskGroup(of: [Int: IdempotencyOutcome].self) { group in
                for (instance, store) in stores.enumerated() {
                    for task in 0..<Self.tasksPerInstance {
                        group.addTask {
                            var outcomes: [Int: IdempotencyOutcome] = [:]
                            for index in (0..<Self.keyCount).shuffled() {
                                outcomes[index] = try await store.execute("race-\(index)", fingerprint: "same", wait: true) {
                                    executions.counts.withLock { $0[index, default: 0] += 1 }
                                    // Counted in Redis too, through this instance's own client.
                                    try await store.client.send("INCR", "race:runs:\(index)")
                                    return Array("race-\(index) by \(instance).\(task)".utf8)
                                }
                            }
                            return outcomes
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }

            #expect(seen.count == stores.count * Self.tasksPerInstance)
            let counts = executions.counts.withLock { $0 }
            #expect(counts.count == Self.keyCount)
            let notExactlyOnce = counts.filter { $0.value != 1 }
            #expect(notExactlyOnce.isEmpty, "keys not executed exactly once: \(notExactlyOnce)")

            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let runs = try await client.send(RedisCommand("MGET", arguments: (0..<Self.keyCount).map { "race:runs:\($0)" }))
            #expect(runs.array?.map(\.int) == Array(repeating: 1, count: Self.keyCount))

            var mismatched = 0
            for index in 0..<Self.keyCount {
                let record = try await stores[0].show(key: IdempotencyKey("race-\(index)"), scope: IdempotencyScope("tenant-1"))
                let stored = try #require(record?.result)
                let outcomes = seen.compactMap { $0[index] }
                let executed = outcomes.filter { if case .executed = $0 { true } else { false } }
                if outcomes.count != seen.count || executed.count != 1 || !outcomes.allSatisfy({ $0.result == stored }) {
                    mismatched += 1
                }
            }
            #expect(mismatched == 0)
        }
    }
}

/// How many times each key's operation ran, shared by every racing task.
private final class ExecutionCounts: Sendable {
    let counts = Mutex<[Int: Int]>([:])
}
