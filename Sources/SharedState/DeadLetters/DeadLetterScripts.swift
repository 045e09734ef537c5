import RedisClient

/// The Lua scripts of the dead-letter queue; each runs atomically on Redis.
enum DeadLetterScripts {
    /// Redis's clock in milliseconds, as `now`.
    private static let clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

        """

    /// Takes one entry under a lease: reads it and deletes it from the stream in the same step, so of several
    /// callers taking the same id exactly one gets it, and keeps its fields in the taken hash until the retry
    /// settles; the lease (in the leases sorted set, scored by its end) lets another instance put the entry back
    /// if the taker dies. `KEYS`: stream, leases, taken hash. `ARGV`: id, lease ms. Returns
    /// `[id, [field, value, …]]`, or nil when the entry is not there.
    static let take = RedisScript(
        clock + """
            local entries = redis.call('XRANGE', KEYS[1], ARGV[1], ARGV[1])
            if #entries == 0 then return false end
            redis.call('XDEL', KEYS[1], ARGV[1])
            redis.call('HSET', KEYS[3], unpack(entries[1][2]))
            redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), ARGV[1])
            return entries[1]
            """
    )

    /// Extends a lease that is still held. `KEYS`: leases. `ARGV`: id, lease ms. Returns 1, or 0 when the lease
    /// is gone (settled, or already given up and put back).
    static let renew = RedisScript(
        clock + """
            if not redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 0 end
            redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
            return 1
            """
    )

    /// Puts back up to a batch of entries whose lease ended: each goes to the end of its stream with its fields
    /// unchanged (its handler may or may not have run) and leaves the taken set. `KEYS`: stream, leases.
    /// `ARGV`: batch size, `MAXLEN` mode (`~` or `=`), maximum length, taken hash prefix (the id follows).
    /// Returns `{leases ended, letters put back}`.
    static let reclaim = RedisScript(
        clock + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            local back = 0
            for _, id in ipairs(due) do
              local taken = ARGV[4] .. id
              local fields = redis.call('HGETALL', taken)
              if #fields > 0 then
                redis.call('XADD', KEYS[1], 'MAXLEN', ARGV[2], ARGV[3], '*', unpack(fields))
                redis.call('DEL', taken)
                back = back + 1
              end
              redis.call('ZREM', KEYS[2], id)
            end
            return {#due, back}
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
