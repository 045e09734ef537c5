import Resilience

/// Everything a ``SharedRateLimiter`` keeps in memory, behind its one lock: the batch of tokens reserved per
/// key (bounded, least recently used forgotten first), the one reservation in flight per key, whether Redis is
/// shared or the fallback is in use, and the last known count of live instances. Every method is O(1).
struct SharedRateLimitState {
    /// One key's local view.
    struct Entry {
        /// Tokens reserved in Redis and not yet spent.
        var tokens = 0
        /// When the unspent tokens are dropped.
        var tokensExpire: ContinuousClock.Instant
        /// What Redis had left after the last reservation.
        var redisRemaining = 0
        /// When the key's bucket is full again, by the last reply.
        var resetAt: ContinuousClock.Instant
        /// Redis refused: refuse locally until then.
        var refusedUntil: ContinuousClock.Instant?
        /// The reservation in flight, which every caller short of tokens waits for instead of asking again.
        var reservation: Task<Void, Never>?
        /// The key's local bucket on the fallback, valid for ``fallbackEpoch``.
        var fallback: LocalGCRA?
        var fallbackEpoch = 0
    }

    /// What a call does next.
    enum Step {
        /// Decided from memory.
        case decided(RateLimitResult)
        /// Wait for this reservation, then decide again.
        case wait(Task<Void, Never>)
    }

    let configuration: SharedRateLimitConfiguration
    var entries: RecencyTable<String, Entry>
    var status = SharedStateStatus.shared
    var live = 1
    var statistics = SharedRateLimiterStatistics()
    private var nextProbe = ContinuousClock.now
    private var fallbackEpoch = 0
    private let idleAfter: Duration

    init(configuration: SharedRateLimitConfiguration) {
        self.configuration = configuration
        entries = RecencyTable(capacity: configuration.maximumKeys)
        // An entry idle this long holds no spendable token, no running refusal and (on the fallback) a full bucket.
        idleAfter = max(configuration.batchLifetime, configuration.deniedPause, configuration.period)
    }

    /// Decides from memory when it can: spends reserved tokens, repeats a refusal Redis gave, or on the
    /// fallback uses the local bucket. Otherwise starts the key's reservation with `reserve` (unless one is in
    /// flight) and returns it to wait for; on the fallback only once per probe interval.
    mutating func decide(
        _ key: String,
        permits: Int,
        now: ContinuousClock.Instant,
        reserve: () -> Task<Void, Never>
    ) -> Step {
        withEntry(key, now: now) { state, entry in
            if let spent = state.spend(&entry, permits: permits, now: now) { return .decided(spent) }
            if state.status.isDegraded {
                // Only the probe waits for Redis; everyone else decides locally meanwhile.
                guard entry.reservation == nil, now >= state.nextProbe else {
                    return .decided(state.fallbackDecision(&entry, permits: permits, now: now))
                }
                state.nextProbe = now + state.configuration.probeInterval
            } else if let reservation = entry.reservation {
                return .wait(reservation)
            } else if let until = entry.refusedUntil, now < until {
                state.statistics.denied += 1
                return .decided(
                    RateLimitResult(decision: .denied(retryAfter: until - now), remaining: 0, resetAfter: max(.zero, entry.resetAt - now))
                )
            }
            let reservation = reserve()
            entry.reservation = reservation
            return .wait(reservation)
        }
    }

    /// Applies Redis's answer to `key`'s entry: the tokens granted join its batch, or a refusal is remembered.
    /// Returns whether this answer ended the fallback.
    mutating func applyReply(_ reply: Reply, key: String, now: ContinuousClock.Instant) -> Bool {
        let recovered = status.isDegraded
        status = .shared
        live = max(1, reply.live)
        statistics.scriptCalls += 1
        withEntry(key, now: now) { state, entry in
            entry.reservation = nil
            entry.redisRemaining = reply.remaining
            entry.resetAt = now + reply.resetAfter
            guard reply.granted > 0 else {
                entry.refusedUntil = now + max(reply.retryAfter, state.configuration.deniedPause)
                return
            }
            state.statistics.reservedTokens += reply.granted
            state.statistics.lastBatch = reply.granted
            entry.refusedUntil = nil
            if entry.tokens > 0, now >= entry.tokensExpire {
                state.statistics.expiredTokens += entry.tokens
                entry.tokens = 0
            }
            // Tokens still held keep their expiry and the new ones share it: no token is ever spent later than
            // batchLifetime after it was reserved.
            if entry.tokens == 0 { entry.tokensExpire = now + state.configuration.batchLifetime }
            entry.tokens += reply.granted
        }
        return recovered
    }

    /// Redis could not be asked: switches to the fallback (if not on it). Returns whether this failure started it.
    mutating func applyFailure(reason: String, key: String, now: ContinuousClock.Instant) -> Bool {
        nextProbe = now + configuration.probeInterval
        let switched = !status.isDegraded
        if switched {
            status = .localFallback(reason: reason)
            fallbackEpoch += 1
            statistics.fallbacks += 1
        }
        withEntry(key, now: now) { _, entry in entry.reservation = nil }
        return switched
    }

    /// A caller that waited for reservations in vain this many times is refused for an emission interval.
    mutating func refuseAfterWaiting(retryAfter: Duration) -> RateLimitResult {
        statistics.denied += 1
        return RateLimitResult(decision: .denied(retryAfter: retryAfter), remaining: 0, resetAfter: retryAfter)
    }

    private mutating func withEntry<Result>(
        _ key: String,
        now: ContinuousClock.Instant,
        _ body: (inout SharedRateLimitState, inout Entry) -> Result
    ) -> Result {
        var table = entries
        entries = RecencyTable(capacity: 1)
        defer { entries = table }
        return table.access(key, now: now, idleBefore: now - idleAfter) {
            Entry(tokensExpire: now, resetAt: now)
        } _: { entry in
            body(&self, &entry)
        }
    }

    /// Spends reserved tokens if enough are left and not expired.
    private mutating func spend(_ entry: inout Entry, permits: Int, now: ContinuousClock.Instant) -> RateLimitResult? {
        if entry.tokens > 0, now >= entry.tokensExpire {
            statistics.expiredTokens += entry.tokens
            entry.tokens = 0
        }
        guard entry.tokens >= permits else { return nil }
        entry.tokens -= permits
        statistics.admitted += 1
        return RateLimitResult(decision: .allowed, remaining: entry.redisRemaining + entry.tokens, resetAfter: max(.zero, entry.resetAt - now))
    }

    /// The fallback's decision: the key's local bucket of `limit ÷ live` per period (burst likewise, at least 1).
    private mutating func fallbackDecision(_ entry: inout Entry, permits: Int, now: ContinuousClock.Instant) -> RateLimitResult {
        var bucket: LocalGCRA
        if let current = entry.fallback, entry.fallbackEpoch == fallbackEpoch {
            bucket = current
        } else {
            let share = Double(live)
            bucket = LocalGCRA(
                limit: Double(configuration.limit) / share,
                burst: max(1, Double(configuration.effectiveBurst) / share),
                period: configuration.period,
                now: now
            )
            entry.fallbackEpoch = fallbackEpoch
        }
        statistics.fallbackDecisions += 1
        let result = bucket.take(permits, now: now)
        entry.fallback = bucket
        if result.decision.isAllowed { statistics.admitted += 1 } else { statistics.denied += 1 }
        return result
    }
}

extension SharedRateLimitState {
    /// The script's reply.
    struct Reply {
        var granted: Int
        var remaining: Int
        var retryAfter: Duration
        var resetAfter: Duration
        var live: Int
    }
}
