import RedisClient

extension SharedCache {
    /// Reads what Redis holds for `key` without sliding its expiry or touching the in-process tier, for operators
    /// (`bulwark cache get`).
    /// - Returns: The entry, fresh or stale, or `nil` when Redis holds nothing for the key.
    /// - Throws: ``SharedStateError`` for a malformed key or when Redis is unreachable.
    public func inspect(_ key: String) async throws(SharedStateError) -> SharedCacheEntry? {
        let key = try CacheKey(key).value
        let reply: RedisValue
        do {
            reply = try await client.evaluate(Self.inspectScript, keys: [valueKey(key)], arguments: [String]())
        } catch {
            throw SharedStateError(.storeUnavailable, "cache inspect: Redis unreachable", underlying: error)
        }
        if reply.isNull { return nil }
        guard let parts = reply.array, parts.count == 5, let bytes = parts[0].bytes, let fresh = parts[1].int,
            let keep = parts[2].int, let sliding = parts[4].int
        else {
            throw SharedStateError(.unexpectedReply, "cache entry of '\(key)' reads \(reply)")
        }
        return SharedCacheEntry(
            key: key,
            bytes: bytes,
            freshFor: .milliseconds(fresh),
            expiresIn: .milliseconds(max(keep, 0)),
            tags: (parts[3].string ?? "").split(separator: " ").map(String.init),
            sliding: sliding > 0
        )
    }

    /// Counts the values whose keys start with `prefix`, scanning in batches of 500 (never `KEYS`), so that an
    /// operator sees how many ``invalidate(prefix:progress:)`` would remove before it does.
    /// - Throws: ``SharedStateError`` for a malformed prefix or when Redis is unreachable.
    public func count(prefix: String) async throws(SharedStateError) -> Int {
        let prefix = try CacheKey(prefix, what: "prefix").value
        let pattern = Self.escapeGlob(valueKey(prefix)) + "*"
        var cursor = "0"
        var count = 0
        repeat {
            let reply: RedisValue
            do {
                reply = try await client.send("SCAN", cursor, "MATCH", pattern, "COUNT", 500)
            } catch {
                throw SharedStateError(.storeUnavailable, "cache count prefix: Redis unreachable", underlying: error)
            }
            guard let parts = reply.array, parts.count == 2, let next = parts[0].string, let keys = parts[1].array else {
                throw SharedStateError(.unexpectedReply, "SCAN returned \(reply)")
            }
            count += keys.count
            cursor = next
        } while cursor != "0"
        return count
    }

    /// Reads a value without side effects. KEYS: value. Returns `nil`, or
    /// `{payload, fresh_remaining_ms, pttl_ms, tags, slide_ms}`.
    private static let inspectScript = RedisScript(
        """
        local h = redis.call('HMGET', KEYS[1], 'v', 'f', 's', 'g')
        if not h[1] then return false end
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        return {h[1], tonumber(h[2] or '0') - now, redis.call('PTTL', KEYS[1]), h[4] or '', tonumber(h[3] or '0')}
        """
    )
}
