import BulwarkInstanceKit
import RedisClient
import RedisTestSupport
import SharedState
import Testing

/// Idempotency keys raced by separate OS processes (`bulwark-instance`) on one redis-server.
@Suite struct MultiProcessIdempotencyTests {
    private static let keyCount = 1_000
    private static let workers = 16

    @Test func twoProcessesOfSixteenWorkersRunEveryKeyExactlyOnce() async throws {
        let server = try await RedisServerProcess.start()
        var fleet: [InstanceProcess] = []
        do {
            for index in 0..<2 {
                fleet.append(try await InstanceProcess.start(redisURL: server.url, instance: "p\(index)"))
            }
            let answers = try await withThrowingTaskGroup(of: InstanceProcess.Answer.self) { group in
                for (index, process) in fleet.enumerated() {
                    group.addTask {
                        try await process.send("idempotency-race \(server.url) \(Self.keyCount) \(Self.workers) p\(index)")
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let errors = answers.map { $0.fields["error"] as? String }
            let executed = answers.reduce(0) { $0 + $1.count("executed") }
            let replayed = answers.reduce(0) { $0 + $1.count("replayed") }
            let inconsistentOrFailed = answers.reduce(0) { $0 + $1.count("inconsistent") + $1.count("failed") }
            #expect(errors == [nil, nil])
            #expect(executed == Self.keyCount)
            #expect(replayed == Self.keyCount * (2 * Self.workers - 1))
            #expect(inconsistentOrFailed == 0)

            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            let runs = try await client.send(RedisCommand("MGET", arguments: (0..<Self.keyCount).map { "race:runs:\($0)" }))
            #expect(runs.array?.map(\.int) == Array(repeating: 1, count: Self.keyCount))
        } catch {
            for process in fleet { process.terminate() }
            await server.shutdown()
            throw error
        }
        for process in fleet { await process.stop() }
        await server.shutdown()
    }
}
