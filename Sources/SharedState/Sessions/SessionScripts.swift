import RedisClient

/// The Lua scripts of the session store: each operation but ``SessionStore/touch(_:)`` is one script, so
/// one round trip and atomic.
///
/// Every script reads the time from Redis (`TIME`), never from the caller, so instances whose clocks
/// disagree still agree on when a session ends. A session is two keys (``SessionKeys``): its hash, which
/// always holds the reserved fields `user`, `created` and `absolute` (attributes are the fields that start
/// with `a:`) and expires at the absolute expiry; and its idle key, which expires at the idle deadline. A
/// session is live while both exist. Scripts leave sessions that are no longer live to the sweep, which
/// reports their expiry. `PEXPIRETIME` needs Redis 7.0 or later.
///
/// Scripts that return a session return `{id, user, created_ms, absolute_ms, expires_ms, {name, value, …}}`.
enum SessionScripts {
    /// Redis's clock in milliseconds, as `now`.
    private static let clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

        """

    /// The clock, and `load(key, id)`: the session's reply with `expires_ms` still 0, or nil when absent.
    private static let prelude =
        clock + """
            local function load(key, id)
              local h = redis.call('HGETALL', key)
              if #h == 0 then return nil end
              local user, created, absolute = '', 0, 0
              local attributes = {}
              for i = 1, #h, 2 do
                local f = h[i]
                if f == 'user' then user = h[i + 1]
                elseif f == 'created' then created = tonumber(h[i + 1])
                elseif f == 'absolute' then absolute = tonumber(h[i + 1])
                elseif string.sub(f, 1, 2) == 'a:' then
                  attributes[#attributes + 1] = string.sub(f, 3)
                  attributes[#attributes + 1] = h[i + 1]
                end
              end
              return {id, user, created, absolute, 0, attributes}
            end

            """

    /// Creates a session and adds it to both indexes; drops the user's absolutely expired index members.
    ///
    /// KEYS: session, idle key, expiry index, user index. ARGV: id, user, idle ms, absolute ms, then
    /// `a:<name>`, value pairs.
    static let create = RedisScript(
        clock + """
            local id, user = ARGV[1], ARGV[2]
            local life = tonumber(ARGV[4])
            local ttl = math.min(tonumber(ARGV[3]), life)
            redis.call('HSET', KEYS[1], 'user', user, 'created', now, 'absolute', now + life)
            local attributes = {}
            for i = 5, #ARGV, 2 do
              redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
              attributes[#attributes + 1] = string.sub(ARGV[i], 3)
              attributes[#attributes + 1] = ARGV[i + 1]
            end
            redis.call('PEXPIREAT', KEYS[1], now + life)
            redis.call('SET', KEYS[2], user, 'PXAT', now + ttl)
            redis.call('ZADD', KEYS[3], now + ttl, id .. ':' .. user)
            redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now)
            redis.call('ZADD', KEYS[4], now + life, id)
            if redis.call('PTTL', KEYS[4]) < life then redis.call('PEXPIRE', KEYS[4], life) end
            return {id, user, now, now + life, now + ttl, attributes}
            """
    )

    /// Sets and removes attribute fields only when the session exists, so that a write never brings back an
    /// expired session as a partial record. Only the named fields change: writers of other attributes are
    /// never overwritten. Returns 1 when the session exists, 0 otherwise.
    ///
    /// KEYS: session, idle key. ARGV: number of pairs, `a:<name>`, value pairs, then `a:<name>` fields to remove.
    static let update = RedisScript(
        """
        if redis.call('EXISTS', KEYS[1], KEYS[2]) < 2 then return 0 end
        local pairs_end = 1 + 2 * tonumber(ARGV[1])
        for i = 2, pairs_end, 2 do redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
        for i = pairs_end + 1, #ARGV do redis.call('HDEL', KEYS[1], ARGV[i]) end
        return 1
        """
    )

    /// Moves a live session to a new id with the same data and absolute expiry, slides its idle deadline,
    /// and updates both indexes.
    ///
    /// KEYS: old session, old idle key, new session, new idle key, expiry index. ARGV: old id, new id, idle ms,
    /// user index prefix.
    static let rotate = RedisScript(
        prelude + """
            if redis.call('EXISTS', KEYS[2]) == 0 then return nil end
            local s = load(KEYS[1], ARGV[1])
            if not s then return nil end
            local ttl = math.min(tonumber(ARGV[3]), s[4] - now)
            if ttl <= 0 then return nil end
            redis.call('RENAME', KEYS[1], KEYS[3])
            redis.call('DEL', KEYS[2])
            redis.call('SET', KEYS[4], s[2], 'PXAT', now + ttl)
            redis.call('ZREM', KEYS[5], ARGV[1] .. ':' .. s[2])
            redis.call('ZADD', KEYS[5], now + ttl, ARGV[2] .. ':' .. s[2])
            local index = ARGV[4] .. s[2]
            redis.call('ZREM', index, ARGV[1])
            redis.call('ZADD', index, s[4], ARGV[2])
            s[1] = ARGV[2]
            s[5] = now + ttl
            return s
            """
    )

    /// Deletes a live session and its index entries; returns its user, or nil when it was not live (a
    /// session that expired is left to the sweep, which reports it).
    ///
    /// KEYS: session, idle key, expiry index. ARGV: id, user index prefix.
    static let revoke = RedisScript(
        """
        if redis.call('EXISTS', KEYS[2]) == 0 then return nil end
        local user = redis.call('HGET', KEYS[1], 'user')
        if not user then return nil end
        redis.call('DEL', KEYS[1], KEYS[2])
        redis.call('ZREM', KEYS[3], ARGV[1] .. ':' .. user)
        redis.call('ZREM', ARGV[2] .. user, ARGV[1])
        return user
        """
    )

    /// Deletes every live session of a user and the user's index; returns the ids deleted. Sessions that had
    /// already expired stay in the expiry index, for the sweep to report.
    ///
    /// KEYS: user index, expiry index. ARGV: user, session key prefix.
    static let revokeAll = RedisScript(
        """
        local revoked = {}
        for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
          local key = ARGV[2] .. id
          if redis.call('EXISTS', key, key .. ':idle') == 2 then
            redis.call('DEL', key, key .. ':idle')
            redis.call('ZREM', KEYS[2], id .. ':' .. ARGV[1])
            revoked[#revoked + 1] = id
          end
        end
        redis.call('DEL', KEYS[1])
        return revoked
        """
    )

    /// Lists a user's live sessions without sliding them, and drops index members whose session is gone.
    ///
    /// KEYS: user index. ARGV: session key prefix.
    static let list = RedisScript(
        prelude + """
            local out = {}
            for _, id in ipairs(redis.call('ZRANGE', KEYS[1], 0, -1)) do
              local key = ARGV[1] .. id
              local idle = redis.call('PEXPIRETIME', key .. ':idle')
              local s = idle > 0 and load(key, id) or nil
              if s then
                s[5] = math.min(idle, s[4])
                out[#out + 1] = s
              else
                redis.call('ZREM', KEYS[1], id)
              end
            end
            return out
            """
    )

    /// Claims up to a batch of sessions whose indexed deadline has passed. Those no longer live (idle key or
    /// hash gone) are deleted, removed from both indexes and returned as `<id>:<user>`; those still alive
    /// (touched since they were indexed: ``SessionStore/touch(_:)`` does not update the index) are scored
    /// again by their current deadline. The removal and the claim are one atomic step, so of stores sweeping
    /// at once exactly one reports each. Returns `{members examined, {expired members}}`.
    ///
    /// KEYS: expiry index. ARGV: batch size, session key prefix, user index prefix.
    static let sweep = RedisScript(
        clock + """
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, tonumber(ARGV[1]))
            local expired = {}
            for _, member in ipairs(due) do
              local id, user = string.sub(member, 1, 64), string.sub(member, 66)
              local key = ARGV[2] .. id
              local idle = redis.call('PEXPIRETIME', key .. ':idle')
              local absolute = redis.call('PEXPIRETIME', key)
              if idle < 0 or absolute < 0 then
                redis.call('DEL', key, key .. ':idle')
                redis.call('ZREM', KEYS[1], member)
                redis.call('ZREM', ARGV[3] .. user, id)
                expired[#expired + 1] = member
              else
                redis.call('ZADD', KEYS[1], math.max(math.min(idle, absolute), now + 1), member)
              end
            end
            return {#due, expired}
            """
    )
}
