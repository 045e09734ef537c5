import BulwarkTestSupport
import Foundation
import RedisClient
import RedisTestSupport
import Resilience
import SharedState
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `bulwark serve` as operators run it: a real process, started without Redis, given Redis later,
/// stopped with SIGTERM.
@Suite(.serialized) struct ServeProcessTests {
    static let token = "process-test-token-0123456789"

    @Test func startsOnTheFallbackWithoutRedisAndPicksRedisUpWhenItAppears() async throws {
        // A port where Redis will appear: start one to learn a free port, then stop it.
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        try await redis.stop()
        let serve = try await ServeProcess.start(redisURL: redis.url, instance: "lonely", adminToken: Self.token)
        defer { Task { await serve.process.terminate() } }
        _ = try await serve.process.waitFor("the fallback announcement") { $0.contains("local in-memory fallback") ? true : nil }
        let before = try await Self.json(serve, "/health")
        #expect(before["sharedState"] as? String == "fallback")
        #expect(before["status"] as? String == "degraded")
        #expect(!serve.process.text.contains(redis.url), "the Redis URL must not be logged")

        try await redis.restart()
        let after = try await eventually(attempts: 200) {
            let health = try await Self.json(serve, "/health")
            guard health["sharedState"] as? String == "shared" else { throw NotYet() }
            return health
        }
        #expect(after["status"] as? String == "healthy")
        // Shared state is used again: the instance heartbeats into Redis.
        let client = try RedisClient(url: redis.url)
        defer { client.shutdown() }
        let live = try await eventually(attempts: 100) {
            let ids = try await InstanceDirectory().liveInstances(client: client)
            guard ids.contains("lonely") else { throw NotYet() }
            return ids
        }
        #expect(live == ["lonely"])
    }

    @Test func sigtermFinishesGracefullyFlushesOutcomesAndLeavesTheInstanceList() async throws {
        let redis = try await RedisServerProcess.start()
        defer { Task { await redis.shutdown() } }
        let client = try RedisClient(url: redis.url)
        defer { client.shutdown() }
        let first = try await ServeProcess.start(redisURL: redis.url, instance: "first", adminToken: Self.token, arguments: ["--demo"])
        defer { Task { await first.process.terminate() } }
        let second = try await ServeProcess.start(redisURL: redis.url, instance: "second", adminToken: Self.token)
        defer { Task { await second.process.terminate() } }

        // Both instances see each other through Redis.
        let instances = try await eventually(attempts: 100) {
            let list = try await Self.json(second, "/api/v1/instances")
            let ids = (list["instances"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            guard ids.count == 2 else { throw NotYet() }
            return ids
        }
        #expect(instances == ["first", "second"])
        // The demo's breakers report their outcomes to Redis.
        let store = SharedBreakerStore(client: client)
        _ = try await eventually(attempts: 100) {
            let reports = try await store.instanceReports(try BreakerName("demo-catalog"))
            guard (reports["first"]?.totals.successes ?? 0) > 0 else { throw NotYet() }
        }

        #expect(await first.stopGracefully(timeout: .seconds(30)))
        let remaining = try await InstanceDirectory().liveInstances(client: client)
        #expect(remaining == ["second"])
        #expect(first.process.text.contains("demo traffic started"))
        #expect(await second.stopGracefully(timeout: .seconds(30)))
        #expect(try await InstanceDirectory().liveInstances(client: client).isEmpty)
    }

    @Test func aBadConfigurationStopsTheStartWithOneClearLine() async throws {
        let serve = try OutputProcess(
            ServeProcess.executable,
            ["serve"],
            environment: ["BULWARK_PORT": "99999", "BULWARK_ADMIN_TOKEN": Self.token]
        )
        #expect(await serve.waitForExit(timeout: .seconds(20)))
        #expect(serve.exitStatus != 0)
        #expect(serve.text.contains("'port'"))
        #expect(!serve.text.contains(Self.token))
    }

    static func json(_ serve: ServeProcess, _ path: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: serve.url + path)!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

private struct NotYet: Error {}
