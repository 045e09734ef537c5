import RedisClient

/// The Lua scripts of the shared cache. Freshness is kept in Redis time; the key lives on past it for the
/// fail-safe age, so that a stale copy can be served when the factory fails.
enum SharedCacheScripts {
    /// Reads a value, sliding its freshness when it slides (a slid entry's tag sets follow its new expiry), and
    /// when it is not fresh takes the fill lock if nobody holds it: a miss costs one round trip, and no
    /// instance can fill the key between this read and its lock.
    ///
    /// A read that finds the lock taken marks the key as waited for, so that the fill message carries the value.
    ///
    /// KEYS: value, fill lock, waiting mark. ARGV: fail-safe ms, tag set key prefix, cache key, lock owner token,
    /// lock ms.
    /// Returns `{payload, fresh_remaining_ms, tags, factory_ms, present, locked}`: remaining is negative when
    /// stale; tags are space-separated; factory_ms is how long the value took to make; present is 0 when Redis
    /// holds no value (the other fields are then empty); locked is 1 when this caller now holds the lock. The
    /// tag sets' keys are built from the stored tags, so the cache needs one Redis primary, not Redis Cluster.
    static let read = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local h = redis.call('HMGET', KEYS[1], 'v', 'f', 's', 'g', 'd')
        local fresh = 0
        if h[1] then
          fresh = tonumber(h[2] or '0')
          local slide = tonumber(h[3] or '0')
          if slide > 0 and now < fresh then
            fresh = now + slide
            local keep = slide + tonumber(ARGV[1])
            redis.call('HSET', KEYS[1], 'f', fresh)
            redis.call('PEXPIRE', KEYS[1], keep)
            for tag in string.gmatch(h[4] or '', '%S+') do
              local set = ARGV[2] .. tag
              if redis.pcall('ZADD', set, 'XX', 'GT', now + keep, ARGV[3]) == 0 then
                local left = redis.call('PTTL', set)
                if left >= 0 and left < keep then redis.call('PEXPIRE', set, keep) end
              end
            end
          end
          if fresh > now then return {h[1], fresh - now, h[4] or '', tonumber(h[5] or '0'), 1, 0} end
        end
        local locked = 0
        if redis.call('SET', KEYS[2], ARGV[4], 'NX', 'PX', ARGV[5]) then
          locked = 1
        else
          redis.call('SET', KEYS[3], '1', 'PX', ARGV[5])
        end
        if not h[1] then return {'', 0, '', 0, 0, locked} end
        return {h[1], fresh - now, h[4] or '', tonumber(h[5] or '0'), 1, locked}
        """
    )

    /// Stores a value fresh for a TTL, kept for the fail-safe age after, files it under its tags, announces the
    /// fill and releases the fill lock if the caller holds it: one round trip between the factory's end and the
    /// waiters' wake-up. When the key is marked as waited for and the caller passed a message head (the value is
    /// small enough), the announcement is the head followed by the value, and the waiters need not read it.
    ///
    /// A tag set is a sorted set of cache keys scored by when their entry leaves Redis (ms, Redis time); each
    /// write prunes up to 100 members whose entry is gone, so the set stays about as large as its live
    /// entries.
    ///
    /// KEYS: value, fill lock, waiting mark, tag sets…. ARGV: payload, ttl ms, fail-safe ms, sliding (`1`|`0`),
    /// cache key, tags (space-separated, so that every instance reading the value can file its copy under them),
    /// factory ms, lock owner token, events channel, fill message, head of the fill message that carries the
    /// value (empty: never carry it).
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
        for i = 4, #KEYS do
          redis.call('ZADD', KEYS[i], now + keep, ARGV[5])
          local gone = redis.call('ZRANGEBYSCORE', KEYS[i], '-inf', now, 'LIMIT', 0, 100)
          if #gone > 0 then redis.call('ZREM', KEYS[i], unpack(gone)) end
          if redis.call('PTTL', KEYS[i]) < keep then redis.call('PEXPIRE', KEYS[i], keep) end
        end
        if redis.call('DEL', KEYS[3]) == 1 and ARGV[11] ~= '' then
          redis.call('PUBLISH', ARGV[9], ARGV[11] .. ARGV[1])
        else
          redis.call('PUBLISH', ARGV[9], ARGV[10])
        end
        if redis.call('GET', KEYS[2]) == ARGV[8] then redis.call('DEL', KEYS[2]) end
        return 1
        """
    )

    /// Detaches a tag's sets (the sorted set, and a plain set left by an earlier version, which never grows
    /// again and expires with its last entry) under drain keys of
    /// the invalidation's own, so that the batches remove what was filed before the invalidation and end,
    /// however fast new entries arrive. KEYS: tag set, its drain key, legacy set, its drain key. Returns how
    /// many sets were detached.
    static let detachTag = RedisScript(
        """
        local detached = 0
        for i = 1, 3, 2 do
          if redis.call('EXISTS', KEYS[i]) == 1 then
            redis.call('RENAME', KEYS[i], KEYS[i + 1])
            detached = detached + 1
          end
        end
        return detached
        """
    )

    /// Removes one batch of a detached tag's values. KEYS: drain key. ARGV: value key prefix, batch size.
    /// Returns `{values removed, members taken}`; fewer members than the batch size means the set is empty.
    static let invalidateTagBatch = RedisScript(
        """
        local size = tonumber(ARGV[2])
        local members
        if redis.call('TYPE', KEYS[1]).ok == 'set' then
          members = redis.call('SPOP', KEYS[1], size)
        else
          members = redis.call('ZRANGE', KEYS[1], 0, size - 1)
          if #members > 0 then redis.call('ZREM', KEYS[1], unpack(members)) end
        end
        local removed = 0
        for _, member in ipairs(members) do
          removed = removed + redis.call('UNLINK', ARGV[1] .. member)
        end
        return {removed, #members}
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
