import RedisClient
import RedisTestSupport
import Synchronization
import Testing

@testable import SharedState

/// Two deployments with different key prefixes share one Redis without seeing each other's values,
/// invalidations or fills.
@Suite struct CachePrefixIsolationTests {
    @Test func twoPrefixesOnOneRedisAreIsolated() async throws {
        let server = try await RedisServerProcess.start()
        let clients = try (0..<4).map { _ in try RedisClient(url: server.url) }
        let caches = try [("alpha", 0), ("alpha", 1), ("beta", 2), ("beta", 3)].map { prefix, index in
            try SharedCache(client: clients[index], configuration: SharedCacheConfiguration(keyPrefix: prefix), instanceID: "\(prefix)\(index)")
        }
        let listeners = caches.map { cache in Task { try await cache.run() } }
        func stop() async {
            for listener in listeners { listener.cancel() }
            for client in clients { client.shutdown() }
            await server.shutdown()
        }
        do {
            try await body(caches, clients[0])
        } catch {
            await stop()
            throw error
        }
        await stop()
    }

    private func body(_ caches: [SharedCache], _ raw: RedisClient) async throws {
        let (alpha, alphaPeer, beta, betaPeer) = (caches[0], caches[1], caches[2], caches[3])
        for cache in caches {
            try await eventually { () throws in
                guard cache.localTrusted.load(ordering: .relaxed) else { throw SharedStateError(.storeUnavailable, "not listening yet") }
            }
        }
        let options = CacheEntryOptions(tags: ["users"])
        let alphaValue = try await alpha.getOrSet("user:1", options: options) { "alpha" }
        let betaValue = try await beta.getOrSet("user:1", options: options) { "beta" }
        let alphaPeerValue = try await alphaPeer.getOrSet("user:1") { "unused" }
        let betaPeerValue = try await betaPeer.getOrSet("user:1") { "unused" }
        #expect(alphaValue == "alpha")
        #expect(betaValue == "beta")
        #expect(alphaPeerValue == "alpha")
        #expect(betaPeerValue == "beta")

        // Invalidating alpha's tag reaches alpha's peer; beta's values, in Redis and in-process, stay.
        #expect(try await alpha.invalidate(tag: "users") == 1)
        try await eventually { () throws in
            guard alphaPeer.local.entry("user:1") == nil else { throw SharedStateError(.unexpectedReply, "alpha peer still holds it") }
        }
        // A marker published on beta's channel after alpha's invalidation: once beta's peer has it, it has seen
        // everything published before on any channel it listens to.
        _ = try await beta.getOrSet("marker") { 0 }
        _ = try await betaPeer.getOrSet("marker") { 1 }
        try await beta.invalidate(keys: ["marker"])
        try await eventually { () throws in
            guard betaPeer.local.entry("marker") == nil else { throw SharedStateError(.unexpectedReply, "marker not seen yet") }
        }
        #expect(betaPeer.local.entry("user:1") != nil)
        #expect(try await beta.inspect("user:1")?.bytes != nil)
        #expect(try await alpha.inspect("user:1") == nil)

        try await alpha.invalidate(prefix: "user:")
        #expect(try await beta.count(prefix: "user:") == 1)

        // Every key and channel is under its deployment's prefix.
        for name in try await allKeys(raw) {
            #expect(name.hasPrefix("alpha:") || name.hasPrefix("beta:"), "key \(name) is outside both prefixes")
        }
        let channels = try await raw.send("PUBSUB", "CHANNELS").array?.compactMap(\.string) ?? []
        #expect(Set(channels) == ["alpha:cache-events", "beta:cache-events"])
    }
}

/// Every key in Redis, by `SCAN`.
func allKeys(_ client: RedisClient) async throws -> [String] {
    var cursor = "0"
    var names: [String] = []
    repeat {
        let reply = try await client.send("SCAN", cursor, "COUNT", 1_000)
        let parts = reply.array ?? []
        cursor = parts.first?.string ?? "0"
        names += parts.last?.array?.compactMap(\.string) ?? []
    } while cursor != "0"
    return names
}
