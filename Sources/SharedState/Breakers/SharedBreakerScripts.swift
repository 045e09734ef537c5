import RedisClient

/// The Lua scripts that own every transition of a shared breaker.
///
/// Each script reads the time from Redis (`TIME`), never from the caller, so instances whose clocks
/// disagree still agree on when a break ends. Each touches only the keys of one breaker (one hash tag)
/// and publishes a transition on the events channel in the same atomic step, so exactly one instance
/// wins each transition and exactly one message announces it.
///
/// Every script returns the breaker's snapshot:
/// `{state, generation, now_ms, opened_at_ms, open_until_ms, half_open_at_ms, changed, opens}`.
///
/// A transition's generation is Redis's time in milliseconds, or one more than the last generation when that is
/// later (a hybrid logical clock). Generations therefore grow with every transition *and* across the loss of
/// Redis's data: a breaker Redis lost and an operator then reset gets a generation above every one the
/// surviving instances hold, so none of them takes the reset for a stale message. (With a plain counter the
/// reset restarted at 1 and instances holding a higher generation ignored it.)
enum SharedBreakerScripts {
    /// Shared by all scripts: the clock, the current state, and the one place where state changes.
    private static let prelude = """
        local t = redis.call('TIME')
        local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        local h = redis.call('HMGET', KEYS[1], 'state', 'generation', 'opened_at', 'open_until', 'half_open_at', 'opens',
          'config', 'renewed_at')
        local state = h[1] or 'closed'
        local gen = tonumber(h[2] or '0')
        local opened_at = tonumber(h[3] or '0')
        local open_until = tonumber(h[4] or '0')
        local half_open_at = tonumber(h[5] or '0')
        local opens = tonumber(h[6] or '0')
        local changed = 0
        local function snapshot()
          return {state, gen, now, opened_at, open_until, half_open_at, changed, opens}
        end
        -- target: new state; reason: why; break_ms: for open; permits, max_wait_ms: for half_open.
        local function transition(target, reason, break_ms, permits, max_wait_ms, channel, name)
          gen = math.max(gen + 1, now)
          changed = 1
          state = target
          redis.call('HSET', KEYS[1], 'state', target, 'generation', gen, 'updated_at', now, 'reason', reason)
          redis.call('HDEL', KEYS[1], 'seeded')
          if target == 'open' or target == 'isolated' then
            opened_at = now
            if target == 'open' then
              opens = opens + 1
              open_until = now + break_ms
            else
              open_until = 0
            end
            redis.call('HSET', KEYS[1], 'opened_at', opened_at, 'open_until', open_until, 'opens', opens)
            redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
          elseif target == 'half_open' then
            half_open_at = now
            redis.call('HSET', KEYS[1], 'half_open_at', now, 'probe_successes', 0)
            redis.call('SET', KEYS[5], permits, 'PX', max_wait_ms)
          else
            -- closed or disabled: a fresh start.
            opened_at = 0
            open_until = 0
            opens = 0
            redis.call('HSET', KEYS[1], 'opened_at', 0, 'open_until', 0, 'opens', opens)
            redis.call('DEL', KEYS[2], KEYS[4], KEYS[5])
          end
          local remaining = 0
          if target == 'open' then remaining = open_until - now end
          redis.call('PUBLISH', channel, name .. ' ' .. gen .. ' ' .. target .. ' ' .. remaining .. ' ' .. reason)
        end

        """

    /// Flushes one instance's outcome counts and decides a trip from the pooled (shared) or per-instance
    /// (quorum) view; in half-open, counts the probe outcomes of the half-open generation fleet-wide (outcomes
    /// of calls admitted in another generation never count as probes).
    ///
    /// The pooled window is a fixed ring of `n` slots (`e:<slot>` its bucket, `s:<slot>`, `f:<slot>`), so the
    /// window hash never holds more than `3n + 1` fields; a flush reads the ring once and writes only the current
    /// slot. The instance's report goes into the instances hash. Upkeep runs at most once per sixtieth of the
    /// shorter retention, not at every flush: reports older than the report retention are pruned (oldest first,
    /// a bounded batch), and the breaker's keys get their lifetime renewed, so that they expire when nobody
    /// reports for the breaker retention.
    ///
    /// ARGV: instance, successes, failures, rule (`consecutive`|`ratio`), threshold, minimum throughput,
    /// window ms, break ms, scope (`shared`|`quorum`|`local`), quorum, local trips (`1`|`0`), channel, name,
    /// success threshold, half-open max wait ms, local state, configuration fingerprint, the instance's
    /// totals since it started (`successes failures rejections`, for rates on the dashboard), probe
    /// generation (or `-`), probe successes, probe failures, report retention ms, breaker retention ms, headroom
    /// horizon ms, age of the newest reported success in ms.
    ///
    /// The reply has three more elements: `0` (no probe claim), the headroom (under a shared failure ratio, how
    /// many more failures the pooled window can take without a trip, counting only the successes of buckets
    /// still in the window after the horizon; 0 otherwise) and the number of instances reporting the breaker.
    static let record = RedisScript(
        prelude + """
            local instance = ARGV[1]
            local succ = tonumber(ARGV[2])
            local fail = tonumber(ARGV[3])
            local scope = ARGV[9]
            local channel, name = ARGV[12], ARGV[13]
            local break_ms = tonumber(ARGV[8])
            local keep_reports, keep_breaker = tonumber(ARGV[22]), tonumber(ARGV[23])
            local headroom = 0
            redis.call('HSET', KEYS[3], instance, ARGV[16] .. ' ' .. succ .. ' ' .. fail .. ' ' .. now .. ' ' .. ARGV[18])
            redis.call('ZADD', KEYS[6], now, instance)
            -- Pruning old reports and renewing the keys' lifetimes is upkeep: once per sixtieth of the shorter
            -- retention, not at every flush.
            if now - tonumber(h[8] or '0') >= math.min(keep_reports, keep_breaker) / 60 then
              local stale = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now - keep_reports, 'LIMIT', 0, 256)
              if #stale > 0 then
                redis.call('HDEL', KEYS[3], unpack(stale))
                redis.call('ZREM', KEYS[6], unpack(stale))
              end
              redis.call('HSET', KEYS[1], 'config', ARGV[17], 'renewed_at', now)
              redis.call('PEXPIRE', KEYS[1], keep_breaker)
              redis.call('PEXPIRE', KEYS[3], keep_breaker)
              redis.call('PEXPIRE', KEYS[6], keep_breaker)
            elseif h[7] ~= ARGV[17] then
              redis.call('HSET', KEYS[1], 'config', ARGV[17])
            end
            if state == 'closed' and scope ~= 'local' then
              local trip = false
              if scope == 'shared' then
                if ARGV[4] == 'consecutive' then
                  -- Successes end the run only if they came after the last failure Redis heard of (lazily
                  -- flushed successes can be seconds old; within the same millisecond, they do); this report's
                  -- failures are taken to follow them.
                  local c = 0
                  local failed_at = tonumber(redis.call('HGET', KEYS[2], 'failed_at') or '0')
                  if succ > 0 and now - tonumber(ARGV[25]) >= failed_at then
                    c = fail
                    redis.call('HSET', KEYS[2], 'consecutive', c)
                  elseif fail > 0 then
                    c = redis.call('HINCRBY', KEYS[2], 'consecutive', fail)
                  end
                  if fail > 0 then redis.call('HSET', KEYS[2], 'failed_at', now) end
                  redis.call('PEXPIRE', KEYS[2], keep_breaker)
                  trip = fail > 0 and c >= tonumber(ARGV[5])
                else
                  local window = tonumber(ARGV[7])
                  local bucket_ms = math.max(1000, math.floor(window / 10))
                  local n = math.max(1, math.ceil(window / bucket_ms))
                  local b = math.floor(now / bucket_ms)
                  local slot = b % n
                  -- One read of the ring and one write of the current slot (its counts added here, atomically).
                  local fields = {}
                  for i = 0, n - 1 do
                    fields[#fields + 1] = 'e:' .. i
                    fields[#fields + 1] = 's:' .. i
                    fields[#fields + 1] = 'f:' .. i
                  end
                  local v = redis.call('HMGET', KEYS[2], unpack(fields))
                  local fresh = tonumber(v[slot * 3 + 1] or '-1') ~= b
                  if fresh then
                    v[slot * 3 + 1], v[slot * 3 + 2], v[slot * 3 + 3] = b, succ, fail
                  else
                    v[slot * 3 + 2] = tonumber(v[slot * 3 + 2] or '0') + succ
                    v[slot * 3 + 3] = tonumber(v[slot * 3 + 3] or '0') + fail
                  end
                  if fresh or succ > 0 or fail > 0 then
                    redis.call('HSET', KEYS[2], 'e:' .. slot, b, 's:' .. slot, v[slot * 3 + 2], 'f:' .. slot, v[slot * 3 + 3])
                  end
                  -- Renewed when a new bucket starts: a ring nobody writes to for two windows is worthless.
                  if fresh then redis.call('PEXPIRE', KEYS[2], window * 2) end
                  -- Successes of buckets that leave the window within the horizon do not count for the headroom.
                  local kept_after = b - n + math.ceil(tonumber(ARGV[24]) / bucket_ms)
                  local s, f, s_kept = 0, 0, 0
                  for i = 1, #v, 3 do
                    local e = tonumber(v[i] or '-1')
                    if e > b - n then
                      local si = tonumber(v[i + 1] or '0')
                      s = s + si
                      f = f + tonumber(v[i + 2] or '0')
                      if e > kept_after then s_kept = s_kept + si end
                    end
                  end
                  local ratio = tonumber(ARGV[5])
                  trip = fail > 0 and s + f >= tonumber(ARGV[6]) and f / (s + f) >= ratio
                  if not trip and ratio < 1 then
                    -- x more failures trip once (f + x) / (s + f + x) >= ratio: fewer than that cannot.
                    headroom = math.max(0, math.ceil((ratio * (s_kept + f) - f) / (1 - ratio)) - 1)
                  end
                end
              else
                if ARGV[11] == '1' then
                  redis.call('ZADD', KEYS[4], now, instance)
                elseif succ > 0 and fail == 0 then
                  redis.call('ZREM', KEYS[4], instance)
                end
                redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - tonumber(ARGV[7]))
                redis.call('PEXPIRE', KEYS[4], keep_breaker)
                trip = redis.call('ZCARD', KEYS[4]) >= tonumber(ARGV[10])
              end
              if trip then transition('open', 'failure-threshold', break_ms, 0, 0, channel, name) end
            elseif state == 'half_open' then
              local probe_gen = tonumber(ARGV[19])
              local probe_succ, probe_fail = tonumber(ARGV[20]), tonumber(ARGV[21])
              if probe_gen == gen and probe_fail > 0 then
                transition('open', 'probe-failed', break_ms, 0, 0, channel, name)
              elseif now >= half_open_at + tonumber(ARGV[15]) then
                transition('open', 'half-open-timeout', break_ms, 0, 0, channel, name)
              elseif probe_gen == gen and probe_succ > 0 then
                local ps = redis.call('HINCRBY', KEYS[1], 'probe_successes', probe_succ)
                if ps >= tonumber(ARGV[14]) then transition('closed', 'probes-succeeded', 0, 0, 0, channel, name) end
              end
            end
            local r = snapshot()
            r[9] = 0
            r[10] = headroom
            r[11] = 1
            if headroom > 0 then r[11] = redis.call('HLEN', KEYS[3]) end
            return r
            """
    )

    /// Re-seeds a breaker whose state Redis lost (its hash has no generation), from a surviving instance's
    /// state, keeping that instance's generation; publishes it. When another survivor already re-seeded it,
    /// the state with the higher generation (the later decision of the fleet) stays.
    ///
    /// ARGV: state, generation, break ms left (open), half-open probe permits, half-open max wait ms, channel,
    /// name, breaker retention ms.
    static let seed = RedisScript(
        prelude + """
            local target, seed_gen = ARGV[1], tonumber(ARGV[2])
            local seeded = redis.call('HGET', KEYS[1], 'seeded')
            if h[2] == false or (seeded and seed_gen > gen) then
              gen = seed_gen
              state = target
              changed = 1
              opened_at, open_until, half_open_at = 0, 0, 0
              if target == 'open' or target == 'isolated' then opened_at = now end
              if target == 'open' then open_until = now + tonumber(ARGV[3]) end
              if target == 'half_open' then
                half_open_at = now
                redis.call('SET', KEYS[5], ARGV[4], 'PX', ARGV[5])
              end
              redis.call('HSET', KEYS[1], 'state', state, 'generation', gen, 'updated_at', now, 'reason', 'reseeded',
                'opened_at', opened_at, 'open_until', open_until, 'half_open_at', half_open_at, 'probe_successes', 0,
                'opens', opens, 'seeded', 1)
              redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[8]))
              local remaining = 0
              if state == 'open' then remaining = open_until - now end
              redis.call('PUBLISH', ARGV[6], ARGV[7] .. ' ' .. gen .. ' ' .. state .. ' ' .. remaining .. ' reseeded')
            end
            return snapshot()
            """
    )

    /// Applies a proposal or an operator's command when it still holds.
    ///
    /// ARGV: expected generation (`*` for operators), target, reason, break ms, probe permits,
    /// half-open max wait ms, channel, name.
    static let transition = RedisScript(
        prelude + """
            local expected, target, reason = ARGV[1], ARGV[2], ARGV[3]
            local break_ms, permits, max_wait = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
            local channel, name = ARGV[7], ARGV[8]
            if expected == '*' then
              transition(target, reason, break_ms, permits, max_wait, channel, name)
            elseif tonumber(expected) == gen then
              if target == 'half_open' and state == 'open' and now >= open_until then
                transition('half_open', reason, break_ms, permits, max_wait, channel, name)
              elseif target == 'open' and (state == 'half_open' or state == 'closed') then
                transition('open', reason, break_ms, permits, max_wait, channel, name)
              elseif target == 'closed' and state == 'half_open' then
                transition('closed', reason, break_ms, permits, max_wait, channel, name)
              end
            end
            return snapshot()
            """
    )

    /// Reads the snapshot, and claims one half-open probe permit when ARGV[1] is the half-open generation.
    ///
    /// ARGV: generation to claim a probe for, or `-` to only read. The reply has a ninth element: `1` when a
    /// permit was claimed.
    static let read = RedisScript(
        prelude + """
            local claimed = 0
            if ARGV[1] ~= '-' and state == 'half_open' and tonumber(ARGV[1]) == gen then
              local left = tonumber(redis.call('GET', KEYS[5]) or '0')
              if left > 0 then
                redis.call('DECR', KEYS[5])
                claimed = 1
              end
            end
            local s = snapshot()
            s[9] = claimed
            return s
            """
    )
}
