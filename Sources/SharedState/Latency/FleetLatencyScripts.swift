import RedisClient

/// The Lua script of the fleet latency summary.
enum FleetLatencyScripts {
    /// Adds an instance's counts to the current window of a dependency and returns the counts of the latest
    /// windows summed, in one round trip.
    ///
    /// The window number comes from Redis's clock (`TIME`), so instances agree on it whatever their clocks say.
    /// Each window is a hash `<base>:<window number>` of bucket → count that expires once it is older than the
    /// windows read, so the keys of a dependency are at most `windows + 1`.
    ///
    /// KEYS: the dependency's base key. ARGV: window ms, windows, then bucket, count pairs.
    /// Returns `{bucket, count, …}` over the latest `windows` windows.
    static let flushAndRead = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local window, windows = tonumber(ARGV[1]), tonumber(ARGV[2])
        local current = math.floor(now / window)
        if #ARGV > 2 then
          local key = KEYS[1] .. ':' .. current
          for i = 3, #ARGV, 2 do redis.call('HINCRBY', key, ARGV[i], ARGV[i + 1]) end
          redis.call('PEXPIRE', key, window * (windows + 1))
        end
        local sums, order = {}, {}
        for w = current - windows + 1, current do
          local h = redis.call('HGETALL', KEYS[1] .. ':' .. w)
          for i = 1, #h, 2 do
            if sums[h[i]] == nil then
              sums[h[i]] = 0
              order[#order + 1] = h[i]
            end
            sums[h[i]] = sums[h[i]] + tonumber(h[i + 1])
          end
        end
        local reply = {}
        for _, bucket in ipairs(order) do
          reply[#reply + 1] = bucket
          reply[#reply + 1] = sums[bucket]
        end
        return reply
        """
    )
}
