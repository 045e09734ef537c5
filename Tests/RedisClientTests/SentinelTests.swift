import RedisClient
import RedisTestSupport
import Testing

@Suite struct SentinelTests {
    @Test(.timeLimit(.minutes(2)))
    func followsTheMasterThroughAFailover() async throws {
        let primary = try await RedisServerProcess.start()
        let replica = try await RedisServerProcess.start(RedisServerOptions(replicaOf: primary.address))
        let sentinel = try await RedisSentinelProcess.start(
            RedisSentinelOptions(
                masterName: "bulwark",
                master: primary.address,
                quorum: 1,
                downAfter: .milliseconds(1000),
                failoverTimeout: .seconds(3)
            )
        )
        var configuration = try RedisConfiguration(url: "redis-sentinel://127.0.0.1:\(sentinel.port)/bulwark")
        configuration.commandTimeout = .milliseconds(500)
        configuration.maximumReconnectDelay = .milliseconds(200)
        let client = try RedisClient(configuration: configuration)
        defer { client.shutdown() }
        do {
            try await client.send("SET", "k", "before")
            #expect(try await client.send("ROLE").array?.first?.string == "master")
            // Let the replica catch up so the promoted server has the data (WAIT would block a shared connection).
            let replicaClient = try RedisClient(url: "redis://\(replica.address.host):\(replica.address.port)")
            defer { replicaClient.shutdown() }
            _ = try await eventually(attempts: 200) { () async throws -> String in
                guard let value = try await replicaClient.send("GET", "k").string, value == "before" else {
                    throw RedisClientError(.timedOut, "replica not in sync yet")
                }
                return value
            }

            try await primary.kill()
            try await sentinel.waitForMasterAddress(replica.address, named: "bulwark", timeout: .seconds(30))

            let reply = try await eventually(attempts: 200) { try await client.send("SET", "k2", "after") }
            #expect(reply.string == "OK")
            #expect(try await client.send("GET", "k").string == "before")

            // The write landed on the promoted replica, read directly.
            let direct = try RedisClient(url: replica.url)
            defer { direct.shutdown() }
            #expect(try await direct.send("GET", "k2").string == "after")
        } catch {
            await stopAll(primary, replica, sentinel)
            throw error
        }
        await stopAll(primary, replica, sentinel)
    }

    private func stopAll(_ primary: RedisServerProcess, _ replica: RedisServerProcess, _ sentinel: RedisSentinelProcess) async {
        await sentinel.shutdown()
        await replica.shutdown()
        await primary.shutdown()
    }
}
