import RedisClient

/// Which instances are alive and which breakers exist, readable without scanning the keyspace.
///
/// - `PREFIX:instances`: sorted set, instance id → its last heartbeat (Redis time, ms).
/// - `PREFIX:breakers`: hash, breaker name → its ``SharedBreakerDescriptor`` as JSON.
public struct InstanceDirectory: Sendable {
    private let prefix: String

    /// Creates a directory over keys under `prefix`.
    public init(prefix: String = "bulwark") {
        self.prefix = prefix
    }

    var instancesKey: String { prefix + ":instances" }
    var breakersKey: String { prefix + ":breakers" }

    private static let announceScript = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
        for i = 3, #ARGV, 2 do redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1]) end
        return now
        """
    )

    private static let liveScript = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'WITHSCORES')
        """
    )

    func announce(client: RedisClient, instance: String, breakers: [(String, String)], timeToLive: Duration) async throws {
        var arguments = [instance, String(SharedBreakerRules.milliseconds(timeToLive))]
        for (name, descriptor) in breakers {
            arguments.append(name)
            arguments.append(descriptor)
        }
        try await client.evaluate(Self.announceScript, keys: [instancesKey, breakersKey], arguments: arguments)
    }

    func withdraw(client: RedisClient, instance: String) async throws {
        try await client.send("ZREM", instancesKey, instance)
    }

    /// The instances whose heartbeat is younger than `timeToLive` by Redis's clock.
    public func liveInstances(client: RedisClient, timeToLive: Duration = .seconds(10)) async throws -> [String] {
        let reply = try await client.evaluate(
            Self.liveScript,
            keys: [instancesKey],
            arguments: [String(SharedBreakerRules.milliseconds(timeToLive))]
        )
        let parts = reply.array ?? []
        return stride(from: 0, to: parts.count, by: 2).compactMap { parts[$0].string }
    }

    /// Every breaker any instance has registered, with its configuration.
    public func breakers(client: RedisClient) async throws -> [String: SharedBreakerDescriptor] {
        let parts = try await client.send("HGETALL", breakersKey).array ?? []
        var result: [String: SharedBreakerDescriptor] = [:]
        for index in stride(from: 0, to: parts.count - 1, by: 2) {
            if let name = parts[index].string, let json = parts[index + 1].string, let descriptor = SharedBreakerDescriptor(json: json) {
                result[name] = descriptor
            }
        }
        return result
    }
}
