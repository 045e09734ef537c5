import RedisClient

/// The Lua scripts of the shared cache. Freshness is kept in Redis time; the key lives on past it for the
/// fail-safe age, so that a stale copy can be served when the factory fails.
enum SharedCacheScripts {
    /// Reads a value and slides its freshness when it slides.
    ///
    /// KEYS: value. ARGV: fail-safe ms. Returns `nil`, or `{payload, fresh_remaining_ms, tags, factory_ms}`
    /// (remaining is negative when stale; tags are space-separated; factory_ms is how long the value took to make).
    static let read = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local h = redis.call('HMGET', KEYS[1], 'v', 'f', 's', 'g', 'd')
        if not h[1] then return false end
        local fresh = tonumber(h[2] or '0')
        local slide = tonumber(h[3] or '0')
        if slide > 0 and now < fresh then
          fresh = now + slide
          redis.call('HSET', KEYS[1], 'f', fresh)
          redis.call('PEXPIRE', KEYS[1], slide + tonumber(ARGV[1]))
        end
        return {h[1], fresh - now, h[4] or '', tonumber(h[5] or '0')}
        """
    )

    /// Stores a value fresh for a TTL, kept for the fail-safe age after, and files it under its tags.
    ///
    /// KEYS: value, tag sets…. ARGV: payload, ttl ms, fail-safe ms, sliding (`1`|`0`), cache key, tags
    /// (space-separated, so that every instance reading the value can file its copy under them), factory ms.
    static let write = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local ttl, keep = tonumber(ARGV[2]), tonumber(ARGV[2]) + tonumber(ARGV[3])
        local slide = 0
        if ARGV[4] == '1' then slide = ttl end
        redis.call('DEL', KEYS[1])
        redis.call('HSET', KEYS[1], 'v', ARGV[1], 'f', now + ttl, 's', slide, 'g', ARGV[6], 'd', ARGV[7])
        redis.call('PEXPIRE', KEYS[1], keep)
        for i = 2, #KEYS do
          redis.call('SADD', KEYS[i], ARGV[5])
          if redis.call('PTTL', KEYS[i]) < keep then redis.call('PEXPIRE', KEYS[i], keep) end
        end
        return 1
        """
    )

    /// Removes every value filed under a tag, and the tag. KEYS: tag set. ARGV: value key prefix.
    /// Returns how many values were removed.
    static let invalidateTag = RedisScript(
        """
        local members = redis.call('SMEMBERS', KEYS[1])
        local removed = 0
        for _, member in ipairs(members) do
          removed = removed + redis.call('UNLINK', ARGV[1] .. member)
        end
        redis.call('DEL', KEYS[1])
        return removed
        """
    )

    /// Releases a fill lock only if the caller still owns it. KEYS: lock. ARGV: owner token.
    static let unlock = RedisScript(
        """
        if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
        return 0
        """
    )
}
