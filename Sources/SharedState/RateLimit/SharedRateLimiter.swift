import Logging
import RedisClient
import Resilience
import Synchronization

/// A rate limit shared by every instance of a fleet: GCRA in Redis, one key per limited key, one round trip
/// per reservation, time from Redis — and most decisions made from a batch of tokens this instance reserved.
///
/// ```swift
/// let limiter = try SharedRateLimiter(
///     client: client,
///     configuration: SharedRateLimitConfiguration(name: "api", limit: 5_000, period: .seconds(1))
/// )
/// let result = try await limiter.acquire(key: "tenant-42/orders")
/// if case .denied(let retryAfter) = result.decision { … }   // 429, Retry-After
/// ```
///
/// Each reservation runs `SharedRateLimitScripts/reserve` on `PREFIX:ratelimit:NAME:{KEY}`: the script
/// reads `TIME`, applies GCRA (the key holds the theoretical arrival time) and reserves
/// `clamp(remaining ÷ (k × live instances), permits, maximumBatch)` tokens, so batches are large while the bucket
/// is full and shrink to 1 near the limit. The instance spends them locally for at most
/// ``SharedRateLimitConfiguration/batchLifetime``; unspent tokens are dropped, never refunded, so the fleet
/// can only admit fewer than the limit because of batching, or more by at most the tokens reserved in the
/// last batch lifetime (see docs/rate-limiting.md). After Redis refuses a key, this instance refuses it
/// locally until Redis would have a token again (at least ``SharedRateLimitConfiguration/deniedPause``).
///
/// ## When Redis is unreachable
/// The first call that fails switches this instance to its local fallback at once (``status`` says
/// `localFallback` with the reason): tokens already reserved are spent first, then each key gets a local
/// bucket of `limit ÷ live instances` (the live count the last reply gave, at least 1), so the fleet as a whole
/// stays near the limit. Every ``SharedRateLimitConfiguration/probeInterval`` one call tries Redis again; the
/// first that succeeds switches back to shared.
public final class SharedRateLimiter: KeyedRateLimiter {
    /// The client used.
    public let client: RedisClient
    /// The limit and how batches are reserved.
    public let configuration: SharedRateLimitConfiguration
    private let logger: Logger
    private let directory: InstanceDirectory
    private let keyRule = NameRule("rate-limit key", maximumBytes: 200, punctuation: "._-:/@")
    private let arguments: [String]
    /// The emission interval: one token's share of the period.
    private let interval: Duration
    private let state: Mutex<SharedRateLimitState>

    /// Creates a limiter; nothing connects until the first call.
    /// - Parameters:
    ///   - client: The Redis client.
    ///   - configuration: The limit.
    ///   - logger: Where switches to and from the fallback are logged.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration`` or
    ///   ``SharedStateError/Code/invalidName`` naming the limit and the field at fault.
    public init(
        client: RedisClient,
        configuration: SharedRateLimitConfiguration,
        logger: Logger = Logger(label: "bulwark.ratelimit")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.logger = logger
        directory = InstanceDirectory(prefix: configuration.keyPrefix)
        let micros = SharedRateLimitConfiguration.seconds(configuration.period) * 1e6 / Double(configuration.limit)
        interval = configuration.period / Double(configuration.limit)
        arguments = [
            String(micros),
            String(micros * Double(configuration.effectiveBurst)),
            "",
            String(configuration.maximumBatch),
            String(configuration.shrinkFactor),
            String(SharedBreakerRules.milliseconds(configuration.instanceTimeToLive)),
        ]
        state = Mutex(SharedRateLimitState(configuration: configuration))
    }

    /// ``SharedRateLimitConfiguration/limit``, for `RateLimit-Policy`.
    public var limit: Int { configuration.limit }
    /// ``SharedRateLimitConfiguration/period``, for `RateLimit-Policy`.
    public var window: Duration { configuration.period }

    /// `shared`, or `localFallback` with the reason while Redis is unreachable.
    public var status: SharedStateStatus { state.withLock { $0.status } }

    /// The live instances the last reply counted (at least 1): the fallback's divisor.
    public var liveInstances: Int { state.withLock { $0.live } }

    /// Counts since the limiter was made.
    public var statistics: SharedRateLimiterStatistics { state.withLock { $0.statistics } }

    /// The Redis key of a limited key.
    func redisKey(_ key: String) -> String {
        "\(configuration.keyPrefix):ratelimit:\(configuration.name):{\(key)}"
    }

    /// Takes `permits` of `key`'s limit if the fleet's limit allows them now.
    ///
    /// Costs no round trip while this instance holds reserved tokens for `key`, or Redis refused it moments ago;
    /// otherwise one reservation per key is in flight at a time, and every caller short of tokens waits for it
    /// (at most the client's command timeout) rather than asking again.
    /// - Parameters:
    ///   - key: What is limited, such as `tenant-42`, `tenant-42/user-7` or `tenant-42/GET:orders`: 1 to 200
    ///     characters from `A-Z a-z 0-9 . _ - : / @`.
    ///   - permits: Permits needed; at least 1. More than the burst is always refused.
    /// - Returns: The decision, the permits left (Redis's remainder plus this instance's unspent tokens) and the
    ///   time until the bucket is full.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidName`` for a malformed key,
    ///   ``SharedStateError/Code/invalidConfiguration`` for `permits` below 1. An unreachable Redis is not an
    ///   error: the fallback decides.
    public func acquire(key: String, permits: Int = 1) async throws(SharedStateError) -> RateLimitResult {
        try keyRule.validate(key)
        guard permits >= 1 else {
            throw SharedStateError(.invalidConfiguration, "rate limit '\(configuration.name)': permits must be at least 1, got \(permits)")
        }
        guard permits <= configuration.effectiveBurst else {
            return RateLimitResult(decision: .denied(retryAfter: .seconds(Int64.max)), remaining: 0, resetAfter: .zero)
        }
        // Each round either spends tokens, is refused, or waits for the key's one reservation in flight; a
        // caller that keeps losing the tokens to others is refused after a few rounds rather than spinning.
        for _ in 0..<Self.rounds {
            let step = state.withLock { state in
                state.decide(key, permits: permits, now: .now) {
                    Task { await self.reserve(key: key, permits: permits) }
                }
            }
            switch step {
            case .decided(let result): return result
            case .wait(let reservation): await reservation.value
            }
        }
        return state.withLock { $0.refuseAfterWaiting(retryAfter: interval) }
    }

    private static let rounds = 4

    /// Runs the script for `key` and applies its answer, or switches to the fallback when Redis cannot answer.
    private func reserve(key: String, permits: Int) async {
        var arguments = arguments
        arguments[2] = String(permits)
        let reply: RedisValue
        do {
            reply = try await client.evaluate(SharedRateLimitScripts.reserve, keys: [redisKey(key), directory.instancesKey], arguments: arguments)
        } catch {
            fallBack("Redis: \(error.failureKind) (\(error.code))", key: key)
            return
        }
        guard let parts = reply.array, parts.count == 5, let granted = parts[0].int, let remaining = parts[1].int,
            let retryAfter = parts[2].int, let resetAfter = parts[3].int, let live = parts[4].int
        else {
            fallBack("Redis: unexpected reply to the rate-limit script", key: key)
            return
        }
        let decoded = SharedRateLimitState.Reply(
            granted: granted,
            remaining: remaining,
            retryAfter: .microseconds(max(0, retryAfter)),
            resetAfter: .microseconds(max(0, resetAfter)),
            live: live
        )
        if state.withLock({ $0.applyReply(decoded, key: key, now: .now) }) {
            logger.notice("rate limit shared through Redis again", metadata: ["ratelimit.name": "\(configuration.name)"])
        }
    }

    private func fallBack(_ reason: String, key: String) {
        let (switched, live) = state.withLock { state in
            (state.applyFailure(reason: reason, key: key, now: .now), state.live)
        }
        if switched {
            logger.warning(
                "Redis is unreachable: rate limit enforced locally at limit ÷ live instances",
                metadata: ["ratelimit.name": "\(configuration.name)", "ratelimit.live": "\(live)", "reason": "\(reason)"]
            )
        }
    }
}
