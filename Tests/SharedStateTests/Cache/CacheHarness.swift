import RedisClient
import RedisTestSupport
import Synchronization

@testable import SharedState

/// Starts Redis and `count` caches, each over its own client and running its invalidation listener, as
/// separate instances would; always stops everything.
func withCaches(
    _ count: Int,
    configuration: SharedCacheConfiguration = SharedCacheConfiguration(),
    _ body: (RedisServerProcess, [SharedCache]) async throws -> Void
) async throws {
    let server = try await RedisServerProcess.start()
    var redis = try RedisConfiguration(url: server.url)
    redis.commandTimeout = .milliseconds(300)
    redis.maximumReconnectDelay = .milliseconds(100)
    let clients = try (0..<count).map { _ in try RedisClient(configuration: redis) }
    let caches = try clients.enumerated().map { index, client in
        try SharedCache(client: client, configuration: configuration, instanceID: "cache\(index)")
    }
    let listeners = caches.map { cache in Task { try await cache.run() } }
    func stop() async {
        for listener in listeners { listener.cancel() }
        for client in clients { client.shutdown() }
        await server.shutdown()
    }
    do {
        for cache in caches {
            _ = try await eventually { () async throws -> Bool in
                guard cache.localTrusted.load(ordering: .relaxed) else { throw SharedStateError(.storeUnavailable, "not listening yet") }
                return true
            }
        }
        try await body(server, caches)
    } catch {
        await stop()
        throw error
    }
    await stop()
}

/// Counts factory runs across tasks and instances.
final class FactoryCounter: Sendable {
    private let runs = Mutex(0)
    var count: Int { runs.withLock { $0 } }

    func make<Value: Sendable>(_ value: Value, taking delay: Duration = .zero) async throws -> Value {
        runs.withLock { $0 += 1 }
        if delay > .zero { try await Task.sleep(for: delay) }
        return value
    }
}

struct FactoryFailure: Error {}

/// Waits until no helper task of `cache` (factory timers, background fills, polls) runs any more.
func waitForNoHelperTasks(_ cache: SharedCache) async throws {
    try await eventually { () throws in
        guard cache.helpers.count == 0 else { throw SharedStateError(.unexpectedReply, "\(cache.helpers.count) helper tasks still running") }
    }
}
