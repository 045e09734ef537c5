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
        try await client.send("BLPOP", "nothing-here", "0.05")
        let durations = seen.withLock { $0 }
        #expect(durations.count == 3)
        #expect(durations.allSatisfy { $0 > .zero })
        #expect(durations[2] >= .milliseconds(50))

        try await server.stop()
        await #expect(throws: RedisClientError.self) { try await client.send("GET", "k") }
        #expect(seen.withLock { $0.count } == 4)
    }
}
