import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Testing

/// A real `bulwark serve` holds one pub/sub connection to Redis, whatever listens: the shared breakers, the
/// cache, the kill switches, the dead-letter listener and the dashboard's event stream share it.
@Suite(.serialized) struct PubSubConnectionTests {
    @Test func everyListenerOfAnInstanceSharesOneConnection() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let client = try RedisClient(url: redis.url)
        defer { client.shutdown() }
        let serve = try await ServeProcess.start(redisURL: redis.url, instance: "listener", adminToken: nil, arguments: ["--demo"])
        defer { Task { await serve.process.terminate() } }
        // The dashboard's stream makes the feed listen too.
        let stream = try OutputProcess(URL(fileURLWithPath: "/usr/bin/curl"), ["-sN", serve.url + "/api/v1/events"])
        defer { Task { await stream.terminate() } }
        _ = try await stream.waitFor("the snapshot", timeout: .seconds(60)) { $0.contains("event: snapshot\ndata: {") ? true : nil }
        let channels = ["bulwark:breaker-events", "bulwark:cache-events", "bulwark:dlq-retry-requests", "bulwark:switch-changes"]
        // Every channel subscribed, each by one connection (before, by one connection per listener: 2, 1, 1, 1).
        var subscribed: [Int] = []
        for _ in 0..<1_200 where subscribed != [1, 1, 1, 1] {
            let reply = try await client.send(RedisCommand("PUBSUB", arguments: ["NUMSUB"] + channels)).array ?? []
            subscribed = stride(from: 1, to: reply.count, by: 2).map { reply[$0].int ?? 0 }
            if subscribed != [1, 1, 1, 1] { try await Task.sleep(for: .milliseconds(50)) }
        }
        #expect(subscribed == [1, 1, 1, 1])
        let connections = try await client.send("CLIENT", "LIST", "TYPE", "pubsub").string ?? ""
        #expect(connections.split(separator: "\n").count == 1)
    }
}
