import RedisClient
import SharedState

extension InstanceConsole {
    /// `idempotency-race <redis-url> <keys> <workers> <instance>`: `workers` tasks each execute every key `race-0`…
    /// in a random order with `wait`, over a client of this process's own.
    ///
    /// Each run counts itself with `INCR race:runs:<index>` and returns `race-<index> by <instance>.<worker>`.
    /// Answers how many outcomes were `executed` and `replayed`, how many differed from the stored result
    /// (`inconsistent`), and how many were neither executed nor replayed or threw (`failed`).
    func idempotencyRace(redisURL: String, keys: Int, workers: Int, instance: String) async -> [String: Value] {
        let client: RedisClient
        let store: IdempotencyStore
        do {
            client = try RedisClient(url: redisURL)
            store = try IdempotencyStore(client: client)
        } catch {
            return ["error": .string("\(error)")]
        }
        defer { client.shutdown() }
        let runs = await withTaskGroup(of: [Int: IdempotencyOutcome?].self) { group in
            for worker in 0..<workers {
                group.addTask {
                    var outcomes: [Int: IdempotencyOutcome?] = [:]
                    for index in (0..<keys).shuffled() {
                        outcomes[index] = try? await store.execute(
                            key: IdempotencyKey("race-\(index)"),
                            scope: IdempotencyScope("race"),
                            fingerprint: IdempotencyFingerprint("same"),
                            wait: true
                        ) {
                            try await client.send("INCR", "race:runs:\(index)")
                            return Array("race-\(index) by \(instance).\(worker)".utf8)
                        }
                    }
                    return outcomes
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        var counts = ["executed": 0, "replayed": 0, "inconsistent": 0, "failed": 0]
        for index in 0..<keys {
            let stored = try? await store.show(key: IdempotencyKey("race-\(index)"), scope: IdempotencyScope("race"))?.result
            for outcomes in runs {
                switch outcomes[index] ?? nil {
                case .executed(let result):
                    counts["executed", default: 0] += 1
                    if result != stored { counts["inconsistent", default: 0] += 1 }
                case .replayed(let result):
                    counts["replayed", default: 0] += 1
                    if result != stored { counts["inconsistent", default: 0] += 1 }
                default: counts["failed", default: 0] += 1
                }
            }
        }
        return counts.mapValues { .int($0) }
    }
}
