import BulwarkTestSupport
import Foundation
import Logging
import RedisClient
import RedisTestSupport
import SharedState

/// A real `bulwark serve` on a real redis-server, seeded with one of everything the admin API can change — a
/// registered breaker, a cache entry, a session, an idempotency record, dead letters — so that a test can
/// attack it over raw HTTP and then check that Redis holds exactly what it held before.
struct ExposedInstance: Sendable {
    static let token = "exposed-test-token-0123456789"
    static let prefix = "bulwark"
    /// Registered in the breaker index, so that a change to it would succeed.
    static let breaker = "payments"
    static let queue = "orders"

    let redis: RedisServerProcess
    let serve: ServeProcess
    let client: RedisClient

    /// Starts Redis, seeds it, starts `bulwark serve` on it (with `token`, none when nil, and `environment`),
    /// runs `body`, and stops both processes whatever happens.
    static func run(
        token: String? = Self.token,
        environment: [String: String] = [:],
        _ body: (ExposedInstance) async throws -> Void
    ) async throws {
        let redis = try await RedisServerProcess.start()
        var logger = Logger(label: "exposed")
        logger.logLevel = .critical
        let client = try RedisClient(url: redis.url, logger: logger)
        do {
            try await seed(client, logger: logger)
            let serve = try await ServeProcess.start(
                redisURL: redis.url,
                instance: "exposed",
                adminToken: token,
                keyPrefix: prefix,
                environment: environment
            )
            do {
                try await body(ExposedInstance(redis: redis, serve: serve, client: client))
            } catch {
                await serve.process.terminate()
                throw error
            }
            await serve.process.terminate()
        } catch {
            client.shutdown()
            await redis.shutdown()
            throw error
        }
        client.shutdown()
        await redis.shutdown()
    }

    private static func seed(_ client: RedisClient, logger: Logger) async throws {
        let descriptor =
            #"{"breakMilliseconds":5000,"halfOpenPermits":1,"halfOpenSuccesses":1,"minimumThroughput":10,"#
            + #""rule":"consecutive","scope":"shared","threshold":5,"windowMilliseconds":10000}"#
        _ = try await client.send("HSET", "\(prefix):breakers", breaker, descriptor)
        let cache = try SharedCache(client: client, configuration: SharedCacheConfiguration(keyPrefix: prefix), logger: logger)
        _ = try await cache.getOrSet("user:1", options: CacheEntryOptions(tags: ["users"])) { "ada" }
        let sessions = try SessionStore(client: client, prefix: prefix, logger: logger)
        _ = try await sessions.create(user: try SessionUser("ada"))
        let letters = try DeadLetterStore(client: client, configuration: DeadLetterConfiguration(keyPrefix: prefix), logger: logger)
        let old = Date(timeIntervalSinceNow: -86_400)
        for index in 0..<3 {
            _ = try await letters.add(to: try DeadLetterQueueName(queue), payload: Array("order-\(index)".utf8), error: "boom", firstFailure: old)
        }
        let idempotency = try IdempotencyStore(client: client, prefix: prefix, logger: logger)
        _ = try await idempotency.claim(
            key: try IdempotencyKey("order-7"),
            scope: try IdempotencyScope("default"),
            fingerprint: IdempotencyFingerprint(digest: [1, 2, 3])
        )
    }

    /// Every key and its `DUMP`, except the instance list, whose heartbeat scores move on their own.
    func snapshot() async throws -> [String: [UInt8]] {
        var snapshot: [String: [UInt8]] = [:]
        for key in try await client.send("KEYS", "*").array?.compactMap(\.string) ?? [] where !key.hasSuffix(":instances") {
            snapshot[key] = try await client.send("DUMP", key).bytes ?? []
        }
        return snapshot
    }

    /// One request on a new connection.
    func request(
        _ method: String,
        _ target: String,
        token: String? = nil,
        headers: [(String, String)] = [],
        body: String? = nil,
        source: String? = nil
    ) async throws -> RawHTTPConnection.Response {
        let connection = try await RawHTTPConnection.open(port: serve.port, source: source)
        defer { connection.close() }
        var all = headers
        if let token { all.append(("Authorization", "Bearer \(token)")) }
        return try await connection.request(method, target, headers: all, body: body)
    }

    /// Whether the instance still answers `/health/live`.
    func isAlive() async -> Bool {
        (try? await request("GET", "/health/live"))?.status == 200
    }
}
