import RedisClient

/// The one script behind ``SharedRateLimiter``: GCRA over one key, with a batch reservation.
///
/// The key holds the theoretical arrival time (TAT) in µs of Redis `TIME`; a token is free when
/// `now + tolerance ≥ TAT + interval`. Tokens available now: `floor((now + tolerance − TAT) ÷ interval)`. A
/// caller needing `permits` gets `clamp(available ÷ (k × live), permits, maximumBatch)` tokens (never more
/// than available) and TAT moves by that many intervals; the key expires when the bucket would be full again,
/// which is the same state as no key. The live instances are counted in the instance directory in the same
/// call.
enum SharedRateLimitScripts {
    /// KEYS: the limit's key, the instance directory. ARGV: interval µs, tolerance µs, permits, maximum batch,
    /// k, instance time to live ms.
    ///
    /// Returns `{granted, remaining, retry after µs, reset after µs, live}`: `granted` is 0 when refused (then
    /// `retry after` is the time until `permits` tokens are free), else the tokens reserved (≥ permits);
    /// `remaining` is what is left in Redis after it; `reset after` the time until the bucket is full.
    static let reserve = RedisScript(
        """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
        local interval = tonumber(ARGV[1])
        local tolerance = tonumber(ARGV[2])
        local permits = tonumber(ARGV[3])
        local live = redis.call('ZCOUNT', KEYS[2], math.floor(now / 1000) - tonumber(ARGV[6]), '+inf')
        if live < 1 then live = 1 end
        local tat = tonumber(redis.call('GET', KEYS[1]) or '0') or 0
        if tat < now then tat = now end
        local available = math.floor((now + tolerance - tat) / interval)
        if available < permits then
          if available < 0 then available = 0 end
          return {0, available, math.ceil(tat + permits * interval - tolerance - now), math.ceil(tat - now), live}
        end
        local batch = math.floor(available / (tonumber(ARGV[5]) * live))
        if batch > tonumber(ARGV[4]) then batch = tonumber(ARGV[4]) end
        if batch < permits then batch = permits end
        if batch > available then batch = available end
        local newtat = math.ceil(tat + batch * interval)
        redis.call('SET', KEYS[1], string.format('%d', newtat), 'PX', math.ceil((newtat - now) / 1000) + 1)
        return {batch, available - batch, 0, newtat - now, live}
        """
    )
}
