import RedisClient
import RedisTestSupport
import Synchronization
import Testing

/// The latency observer sees every command and pipeline, failed ones too, with the time it took.
@Suite struct LatencyObserverTests {
    @Test func everyCommandAndPipelineIsObservedOnceWithItsDuration() async throws {
        let server = try await RedisServerProcess.start()
        defer { Task { await server.shutdown() } }
        let seen = Mutex<[Duration]>([])
        var configuration = try RedisConfiguration(url: server.url)
        configuration.commandTimeout = .milliseconds(200)
        let client = try RedisClient(configuration: configuration) { duration in seen.withLock { $0.append(duration) } }
        defer { client.shutdown() }

        try await client.send("SET", "k", "v")
        _ = try await client.pipeline([RedisCommand("GET", "k"), RedisCommand("GET", "k")])
        // Holds Redis for 50 ms (a blocking command would be refused on the shared connection).
        try await client.send(
            "EVAL",
            "local s = redis.call('TIME') local t0 = s[1] * 1000000 + s[2] repeat local n = redis.call('TIME') until n[1] * 1000000 + n[2] - t0 >= 50000 return 1",
            0
        )
        let durations = seen.withLock { $0 }
        #expect(durations.count == 3)
        let everyDurationIsPositive = durations.allSatisfy { $0 > .zero }
        #expect(everyDurationIsPositive, "\(durations)")
        #expect(durations[2] >= .milliseconds(50))

        try await server.stop()
        await #expect(throws: RedisClientError.self) { try await client.send("GET", "k") }
        let observed = seen.withLock { $0.count }
        #expect(observed == 4)
    }
}
