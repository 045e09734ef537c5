import BulwarkInstanceKit
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

/// One fleet-wide limit shared by separate OS processes (`bulwark-instance`) on one redis-server.
@Suite struct MultiProcessRateLimitTests {
    @Test func twoProcessesOfSixteenCallersShareOneLimit() async throws {
        let limit = 2_000
        let maximumBatch = 50
        let day = 86_400_000
        try await withFleet(2, arguments: ["--breaker", "rate"]) { server, fleet in
            let client = try RedisClient(url: server.url)
            defer { client.shutdown() }
            // Both heartbeats are in the directory before the limit is used, so each counts two live instances.
            var live = try await InstanceDirectory().liveInstances(client: client)
            for _ in 0..<200 where live.count < 2 {
                try await Task.sleep(for: .milliseconds(20))
                live = try await InstanceDirectory().liveInstances(client: client)
            }
            #expect(live.count == 2)

            let clock = ContinuousClock()
            let start = clock.now
            let command = "rate-limit \(server.url) bulwark api tenant-1/orders \(limit) \(day) \(limit) \(maximumBatch) 16 400 0"
            let answers = try await withThrowingTaskGroup(of: InstanceProcess.Answer.self) { group in
                for process in fleet {
                    group.addTask { try await process.send(command) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let elapsed = clock.now - start
            let errors = answers.compactMap { $0.fields["error"] as? String }
            let admitted = answers.reduce(0) { $0 + $1.count("admitted") }
            let reserved = answers.reduce(0) { $0 + $1.count("reserved") }
            let decisions = answers.reduce(0) { $0 + $1.count("decisions") }
            let scriptCalls = answers.reduce(0) { $0 + $1.count("script_calls") }
            let allowance = Int((Double(limit) * (elapsed / .milliseconds(day))).rounded(.up))
            #expect(errors.isEmpty)
            #expect(decisions == 2 * 16 * 400)
            // Redis handed out the whole bucket and no more; each process spent what it reserved but for at most
            // its last batch.
            #expect(reserved >= limit)
            #expect(reserved <= limit + allowance)
            #expect(admitted <= reserved)
            #expect(admitted >= limit - 2 * maximumBatch)
            let liveCounts = answers.map { $0.count("live") }
            #expect(liveCounts == [2, 2])
            #expect(answers.map(\.status) == ["shared", "shared"])
            let everyProcessAdmitted = answers.allSatisfy { $0.count("admitted") > 0 }
            #expect(everyProcessAdmitted)
            #expect(scriptCalls * 4 < admitted)
        }
    }
}
