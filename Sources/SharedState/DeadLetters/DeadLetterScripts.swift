import RedisClient

/// The Lua scripts of the dead-letter queue; each runs atomically on Redis.
enum DeadLetterScripts {
    /// Takes one entry: reads it and deletes it in the same step, so of several callers taking the same id
    /// exactly one gets it. `KEYS[1]` the stream, `ARGV[1]` the id. Returns `[id, [field, value, …]]`, or nil
    /// when the entry is not there.
    static let take = RedisScript(
        """
        local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
        if #entries == 0 then return false end
        redis.call('XDEL', KEYS[1], ARGV[1])
        return entries[1]
        """
    )

    /// Removes the entries older than `ARGV[1]` milliseconds by Redis's clock (stream ids are Redis times).
    /// `KEYS[1]` the stream. Returns how many were removed, from `XLEN` before and after.
    static let purge = RedisScript(
        """
        local time = redis.call('TIME')
        local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
        local minimum = now - tonumber(ARGV[1])
        if minimum <= 0 then return 0 end
        local before = redis.call('XLEN', KEYS[1])
        if before == 0 then return 0 end
        redis.call('XTRIM', KEYS[1], 'MINID', string.format('%.0f', minimum))
        return before - redis.call('XLEN', KEYS[1])
        """
    )
}
