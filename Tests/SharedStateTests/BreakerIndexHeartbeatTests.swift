import RedisClient
import RedisTestSupport
import Resilience
import Testing

@testable import SharedState

/// The heartbeat names an instance's breakers in the breaker index, against a real redis-server.
@Suite struct BreakerIndexHeartbeatTests {
    /// A heartbeat that named a new breaker but did not reach Redis names it again at the next heartbeat. It used
    /// to count the breaker as named and leave it out of the index for a whole period (30 heartbeats here).
    @Test func aFailedHeartbeatNamesItsBreakersAgainAtTheNext() async throws {
        let server = try await RedisServerProcess.start()
        let client = try RedisClient(url: server.url)
        defer { client.shutdown() }
        let directory = InstanceDirectory()
        // The index cannot take the names: the heartbeat lists the instance, then fails (WRONGTYPE).
        try await client.send("SET", directory.breakersKey, "not a hash")
        let options = SharedBreakerOptions(instanceID: "namer", heartbeatInterval: .milliseconds(20), instanceTimeToLive: .seconds(10))
        let registry = try SharedBreakerRegistry(client: client, options: options)
        _ = try registry.breaker(named: "indexed")
        let service = Task { try await registry.run() }
        var listedAt = try await client.send("ZSCORE", directory.instancesKey, "namer").string
        for _ in 0..<1_500 where listedAt == nil {
            try await Task.sleep(for: .milliseconds(5))
            listedAt = try await client.send("ZSCORE", directory.instancesKey, "namer").string
        }
        try #require(listedAt != nil)
        try await client.send("DEL", directory.breakersKey)
        // Counts the heartbeats (each moves the instance's score) until the breaker is named.
        var heartbeats = 0
        var named = false
        for _ in 0..<3_000 {
            named = try await client.send("HEXISTS", directory.breakersKey, "indexed").int == 1
            if named { break }
            let score = try await client.send("ZSCORE", directory.instancesKey, "namer").string
            if score != listedAt {
                heartbeats += 1
                listedAt = score
            }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(named)
        #expect(heartbeats <= 3)
        service.cancel()
        _ = try? await service.value
        await server.shutdown()
    }
}
