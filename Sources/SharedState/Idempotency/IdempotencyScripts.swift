import RedisClient

/// The Lua scripts that own every transition of an idempotency key.
///
/// A key's record is one hash: `state` (`running` or `done`), `fp` (fingerprint), `token` (the lease
/// owner's), `claimed_at` and `completed_at` (ms, Redis `TIME`) and `result`. Its expiry is the lease while
/// running and the retention once done, set with `PEXPIRE` in the same script, so a record never outlives
/// its purpose and an owner that died frees its key when the lease runs out. Time comes from Redis, never
/// from the caller, so instances whose clocks disagree still agree on leases.
enum IdempotencyScripts {
    private static let clock = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)

        """

    /// Claims a key: absent → lease; running → in progress; done → the result; other fingerprint → mismatch.
    /// Only a claim that takes the lease reads the clock, so a replay, the most frequent answer, is one call.
    ///
    /// ARGV: fingerprint, token, lease ms. Returns `{'acquired'}`, `{'running', lease ms left}`,
    /// `{'done', result}` or `{'mismatch'}`.
    static let claim = RedisScript(
        """
        local h = redis.call('HMGET', KEYS[1], 'state', 'fp', 'result')
        if not h[1] then
          local t = redis.call('TIME')
          local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
          redis.call('HSET', KEYS[1], 'state', 'running', 'fp', ARGV[1], 'token', ARGV[2], 'claimed_at', now)
          redis.call('PEXPIRE', KEYS[1], ARGV[3])
          return {'acquired'}
        end
        if h[2] ~= ARGV[1] then return {'mismatch'} end
        if h[1] == 'done' then return {'done', h[3]} end
        return {'running', redis.call('PTTL', KEYS[1])}
        """
    )

    /// Stores the result if the caller still holds the lease, and keeps it for the retention.
    ///
    /// ARGV: token, result, retention ms. Returns 1 when stored, 0 when the lease was lost.
    static let complete = RedisScript(
        clock + """
            local h = redis.call('HMGET', KEYS[1], 'state', 'token')
            if h[1] ~= 'running' or h[2] ~= ARGV[1] then return 0 end
            redis.call('HSET', KEYS[1], 'state', 'done', 'result', ARGV[2], 'completed_at', now)
            redis.call('HDEL', KEYS[1], 'token')
            redis.call('PEXPIRE', KEYS[1], ARGV[3])
            return 1
            """
    )

    /// Extends the lease if the caller still holds it. ARGV: token, lease ms. Returns 1 when extended, 0 when
    /// the lease was lost (expired and claimed by another caller, completed, abandoned or deleted).
    static let renew = RedisScript(
        """
        local h = redis.call('HMGET', KEYS[1], 'state', 'token')
        if h[1] ~= 'running' or h[2] ~= ARGV[1] then return 0 end
        redis.call('PEXPIRE', KEYS[1], ARGV[2])
        return 1
        """
    )

    /// Frees the key if the caller still holds the lease. ARGV: token. Returns 1 when freed, 0 otherwise.
    static let abandon = RedisScript(
        """
        local h = redis.call('HMGET', KEYS[1], 'state', 'token')
        if h[1] ~= 'running' or h[2] ~= ARGV[1] then return 0 end
        redis.call('DEL', KEYS[1])
        return 1
        """
    )

    /// Reads a record in one step. Returns nil, or `{state, fp, claimed_at, completed_at or '', ms to live, result or ''}`.
    static let inspect = RedisScript(
        """
        local h = redis.call('HMGET', KEYS[1], 'state', 'fp', 'claimed_at', 'completed_at', 'result')
        if not h[1] then return false end
        return {h[1], h[2] or '', h[3] or '0', h[4] or '', redis.call('PTTL', KEYS[1]), h[5] or ''}
        """
    )
}
