import RedisClient

/// The scripts behind ``PolicySwitchStore``, each one atomic step on the switches' hash.
enum PolicySwitchScripts {
    /// KEYS: the hash. ARGV: the most fields, then pairs of pipeline name and the mask to seed it with when the
    /// hash has no field for it.
    ///
    /// Returns, for each pipeline in order, its mask in Redis, or -1 when the hash is full and it has no field.
    static let register = RedisScript(
        """
        local limit = tonumber(ARGV[1])
        local masks = {}
        for i = 2, #ARGV, 2 do
          local mask = redis.call('HGET', KEYS[1], ARGV[i])
          if not mask then
            if redis.call('HLEN', KEYS[1]) < limit then
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              mask = ARGV[i + 1]
            else
              mask = '-1'
            end
          end
          masks[#masks + 1] = tonumber(mask)
        end
        return masks
        """
    )

    /// KEYS: the hash. ARGV: pipeline name, the bits to change, 1 to switch them on or 0 off, the channel.
    ///
    /// Returns the mask afterwards, published as `name mask` on the channel, or -1 when the pipeline has no field
    /// (no instance registered it): nothing changes then.
    static let change = RedisScript(
        """
        local current = redis.call('HGET', KEYS[1], ARGV[1])
        if not current then return -1 end
        local bits = tonumber(ARGV[2])
        local mask
        if ARGV[3] == '1' then
          mask = bit.band(tonumber(current), bit.bnot(bits))
        else
          mask = bit.bor(tonumber(current), bits)
        end
        redis.call('HSET', KEYS[1], ARGV[1], mask)
        redis.call('PUBLISH', ARGV[4], ARGV[1] .. ' ' .. mask)
        return mask
        """
    )
}
