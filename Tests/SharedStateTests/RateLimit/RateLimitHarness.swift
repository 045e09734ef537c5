import Foundation
import RedisClient
import RedisTestSupport
import Resilience

@testable import SharedState

/// Starts a redis-server and `count` limiters with `configuration`, each over a client of its own (a virtual
/// instance), runs `body`, and always stops the server and the clients.
func withRateLimiters(
    _ count: Int,
    _ configuration: SharedRateLimitConfiguration,
    _ body: (RedisServerProcess, [SharedRateLimiter]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    var clients: [RedisClient] = []
    defer { for client in clients { client.shutdown() } }
    do {
        var limiters: [SharedRateLimiter] = []
        for _ in 0..<count {
            var redis = try RedisConfiguration(url: server.url)
            redis.commandTimeout = .seconds(2)
            redis.maximumReconnectDelay = .milliseconds(50)
            let client = try RedisClient(configuration: redis)
            clients.append(client)
            limiters.append(try SharedRateLimiter(client: client, configuration: configuration))
        }
        try await body(server, limiters)
    } catch {
        await server.shutdown()
        throw error
    }
    await server.shutdown()
}

/// Lists `instances` as live in the instance directory under `prefix`, as their heartbeats would.
func announce(_ instances: [String], on client: RedisClient, prefix: String = "bulwark") async throws {
    for instance in instances {
        try await InstanceDirectory(prefix: prefix).announce(
            client: client,
            instance: instance,
            breakers: [],
            timeToLive: .seconds(3_600),
            breakerRetention: .seconds(7_200)
        )
    }
}

/// `callers` tasks each try `attempts` acquisitions of `key` on `limiter`; returns how many were admitted.
func hammer(_ limiter: SharedRateLimiter, key: String, callers: Int, attempts: Int) async throws -> Int {
    try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<callers {
            group.addTask {
                var admitted = 0
                for _ in 0..<attempts {
                    let result = try await limiter.acquire(key: key)
                    if result.decision.isAllowed { admitted += 1 }
                }
                return admitted
            }
        }
        return try await group.reduce(0, +)
    }
}

/// Acquires `key` until one is refused; returns how many were admitted before (at most `bound`).
func admittedUntilRefused(_ limiter: SharedRateLimiter, key: String, bound: Int = 100_000) async throws -> Int {
    var admitted = 0
    while admitted < bound {
        let result = try await limiter.acquire(key: key)
        guard result.decision.isAllowed else { break }
        admitted += 1
    }
    return admitted
}

/// Tokens the bucket of `limit` per `period` refills in `elapsed`, rounded up.
func refill(limit: Int, period: Duration, elapsed: Duration) -> Int {
    Int((Double(limit) * (elapsed / period)).rounded(.up))
}
