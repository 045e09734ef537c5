import RedisClient

/// Which instances are alive and which breakers exist, readable without scanning the keyspace.
///
/// - `PREFIX:instances`: sorted set, instance id → its last heartbeat (Redis time, ms); pruned past the
///   time to live at every heartbeat.
/// - `PREFIX:breakers`: hash, breaker name → its ``SharedBreakerDescriptor`` as JSON.
/// - `PREFIX:breakers-seen`: sorted set, breaker name → when a heartbeat last named it; a breaker no heartbeat
///   named for the breaker retention leaves both (a bounded batch per heartbeat).
public struct InstanceDirectory: Sendable {
    private let prefix: String

    /// Creates a directory over keys under `prefix`.
    public init(prefix: String = "bulwark") {
        self.prefix = prefix
    }

    var instancesKey: String { prefix + ":instances" }
    var breakersKey: String { prefix + ":breakers" }
    var breakersSeenKey: String { prefix + ":breakers-seen" }

    private static let announceScript = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local listed = redis.call('ZADD', KEYS[1], now, ARGV[1])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
        for i = 4, #ARGV, 2 do
          redis.call('HSET', KEYS[2], ARGV[i], ARGV[i + 1])
          redis.call('ZADD', KEYS[3], now, ARGV[i])
        end
        local stale = redis.call('ZRANGEBYSCORE', KEYS[3], '-inf', now - tonumber(ARGV[3]), 'LIMIT', 0, 256)
        if #stale > 0 then
          redis.call('HDEL', KEYS[2], unpack(stale))
          redis.call('ZREM', KEYS[3], unpack(stale))
        end
        return listed
        """
    )

    private static let liveScript = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return redis.call('ZRANGEBYSCORE', KEYS[1], now - tonumber(ARGV[1]), '+inf', 'WITHSCORES')
        """
    )

    /// Lists the instance as alive now and names `breakers` (name, descriptor JSON) in the breaker index.
    /// - Returns: Whether the instance was not listed before (its first heartbeat, or Redis lost or expired it).
    @discardableResult
    func announce(
        client: RedisClient,
        instance: String,
        breakers: [(String, String)],
        timeToLive: Duration,
        breakerRetention: Duration
    ) async throws -> Bool {
        var arguments = [instance, String(SharedBreakerRules.milliseconds(timeToLive)), String(SharedBreakerRules.milliseconds(breakerRetention))]
        for (name, descriptor) in breakers {
            arguments.append(name)
            arguments.append(descriptor)
        }
        let reply = try await client.evaluate(Self.announceScript, keys: [instancesKey, breakersKey, breakersSeenKey], arguments: arguments)
        return reply.int == 1
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
