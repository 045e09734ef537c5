import Logging
import RedisClient
import ServiceLifecycle
import Synchronization

/// A cache-aside cache shared by every instance: an in-process tier in front of Redis, invalidation that
/// reaches every instance, one factory run per key across the fleet, and stale values served when the
/// factory or Redis fails.
///
/// ```swift
/// let cache = try SharedCache(client: client)            // run `cache` as a Service for invalidations
/// let user = try await cache.getOrSet("user:42", options: .init(timeToLive: .seconds(60), tags: ["users"])) {
///     try await database.user(42)
/// }
/// try await cache.invalidate(tag: "users")                // every instance drops them
/// ```
///
/// - **Tiers.** A fresh value in the in-process tier answers without Redis. Redis holds every value with its
///   freshness (Redis time), and keeps it for ``SharedCacheConfiguration/failSafeMaximumAge`` beyond.
/// - **Invalidation** by key, prefix (`SCAN` + `UNLINK` in batches of 500, never `KEYS`) or tag (in batches of
///   500) is published on `<keyPrefix>:cache-events`; every other instance drops its in-process
///   copies (an instance ignores its own messages). Pub/sub is at most once, so while the subscription is
///   down the in-process tier is not trusted: reads go to Redis until the subscription is back.
/// - **Tag sets** are sorted sets scored by when each entry leaves Redis; every write under a tag prunes up to
///   100 members whose entries are gone, so a tag set holds little more than its live entries.
/// - **Stampedes.** Concurrent misses of a key share one load in each process; across processes, a Redis
///   lock (owner token, expiry longer than the factory's hard timeout) lets one instance run the factory; the
///   others wait for its fill message (re-reading Redis every ``SharedCacheConfiguration/fillPollInterval``
///   in case a message is lost) instead of polling blindly; a message that comes while a waiter is between
///   two reads is kept for its next wait. When another instance waits (it marks the key when it finds the lock
///   taken), the fill message carries the value itself, up to
///   ``SharedCacheConfiguration/fillMessageValueLimit`` bytes, so that waiters answer without reading Redis
///   again; with nobody waiting, the message stays a few bytes.
/// - **Fail-safe.** When the factory fails or times out, a stale value within the fail-safe age is served
///   instead of the error. When Redis is unreachable, a stale in-process value is served; with none, the
///   factory runs (once per key in this process) and its value stays in-process. A Redis error is never
///   taken for a miss that sends every caller to the backend.
public final class SharedCache: Service, Sendable {
    /// The configuration.
    public let configuration: SharedCacheConfiguration
    /// This instance's id in invalidation messages.
    public let instanceID: String
    let client: RedisClient
    let codec: any CacheCodec
    let local: LocalCacheTier
    let flights = SingleFlight()
    let fills = FillWaiters()
    /// Factory timers and background fills, counted so that tests see none outlive its purpose.
    let helpers = HelperTasks()
    let logger: Logger
    /// Whether the in-process tier may answer: false while the invalidation subscription is down.
    let localTrusted = Atomic<Bool>(false)
    let counters = SharedCacheCounters()

    /// The channel of invalidation and fill messages: `instance verb argument`.
    public var eventsChannel: String { configuration.keyPrefix + ":cache-events" }

    /// Creates a cache over a client.
    /// - Throws: ``SharedStateError`` when the configuration is invalid.
    public init(
        client: RedisClient,
        configuration: SharedCacheConfiguration = SharedCacheConfiguration(),
        codec: any CacheCodec = JSONCacheCodec(),
        instanceID: String = SharedBreakerOptions.randomInstanceID(),
        logger: Logger = Logger(label: "bulwark.cache")
    ) throws(SharedStateError) {
        try configuration.validate()
        self.client = client
        self.configuration = configuration
        self.codec = codec
        self.instanceID = instanceID
        self.logger = logger
        self.local = LocalCacheTier(capacity: configuration.localTierCapacity)
    }

    /// Listens for invalidations and fills until cancelled; until it runs, the in-process tier is not used.
    public func run() async throws {
        let subscription = try client.subscriptions.subscribe(channels: [eventsChannel])
        defer {
            subscription.cancel()
            localTrusted.store(false, ordering: .relaxed)
        }
        do {
            try await subscription.activate()
            localTrusted.store(true, ordering: .relaxed)
        } catch {
            logger.debug("cache events not subscribed yet", metadata: ["redis.error": "\(error)"])
        }
        // A graceful shutdown ends the listening like a cancellation.
        await cancelWhenGracefulShutdown {
            for await event in subscription.events {
                switch event {
                case .message(_, let payload):
                    self.handle(payload)
                case .disconnected:
                    // Invalidations may be missed from now on: stop answering from in-process copies. They stay
                    // only as fail-safe values, for when Redis cannot answer either.
                    self.localTrusted.store(false, ordering: .relaxed)
                case .resubscribed:
                    self.local.removeAll()
                    self.localTrusted.store(true, ordering: .relaxed)
                case .patternMessage:
                    break
                }
            }
        }
    }

    /// How the cache has answered so far, for metrics.
    public var statistics: SharedCacheStatistics {
        SharedCacheStatistics(
            localHits: local.hits,
            localMisses: counters.localMisses.load(ordering: .relaxed),
            redisHits: counters.redisHits.load(ordering: .relaxed),
            redisMisses: counters.redisMisses.load(ordering: .relaxed)
        )
    }

    /// Entries in the in-process tier now.
    public var localCount: Int { local.count }

    /// Applies one message of another instance: `instance verb argument`, and for a fill that carries its value,
    /// `instance v key ttl_ms [tag…]` then a newline and the value's bytes.
    private func handle(_ payload: [UInt8]) {
        let newline = payload.firstIndex(of: UInt8(ascii: "\n"))
        let parts = String(decoding: payload[..<(newline ?? payload.endIndex)], as: UTF8.self).split(separator: " ", maxSplits: 2)
        guard parts.count == 3, parts[0] != instanceID else { return }
        let argument = String(parts[2])
        switch parts[1] {
        case "k": local.remove(argument)
        case "p": local.remove(prefix: argument)
        case "t": local.remove(tag: argument)
        case "f": fills.wake(argument)
        case "v":
            let fields = argument.split(separator: " ").map(String.init)
            guard let key = fields.first else { return }
            guard let newline, fields.count >= 2, let milliseconds = Int(fields[1]), milliseconds > 0 else {
                // Malformed: still a fill, which the waiters read from Redis.
                fills.wake(key)
                return
            }
            let value = FilledValue(
                bytes: Array(payload[(newline + 1)...]),
                timeToLive: .milliseconds(milliseconds),
                tags: Array(fields.dropFirst(2)),
                removalsAtArrival: local.removalCount
            )
            fills.wake(key, .value(value))
        default: break
        }
    }

    /// The message announcing that `key` was filled.
    func fillMessage(_ key: String) -> String { message("f", key) }

    /// The head of the message announcing that `key` was filled with a value fresh for `timeToLive`, to which
    /// the write script appends the value's bytes.
    func valueFillMessageHead(_ key: String, timeToLive: Duration, tags: [String]) -> String {
        message("v", ([key, String(SharedBreakerRules.milliseconds(timeToLive))] + tags).joined(separator: " ")) + "\n"
    }

    private func message(_ verb: String, _ argument: String) -> String { "\(instanceID) \(verb) \(argument)" }

    func publish(_ verb: String, _ argument: String) async throws(SharedStateError) {
        do {
            _ = try await client.send("PUBLISH", eventsChannel, message(verb, argument))
        } catch {
            // Redis dropped the entries but the other instances' in-process tiers were not told: say so
            // rather than report an invalidation that did not reach the fleet.
            throw SharedStateError(
                .storeUnavailable,
                "cache invalidation '\(verb)': removed from Redis but not announced to the other instances",
                underlying: error
            )
        }
    }

    func valueKey(_ key: String) -> String { configuration.keyPrefix + ":cache:v:" + key }
    func tagKey(_ tag: String) -> String { configuration.keyPrefix + ":cache:tags:" + tag }
    /// The plain set in which versions before sorted tag sets filed a tag's keys; invalidation still empties it.
    func legacyTagKey(_ tag: String) -> String { configuration.keyPrefix + ":cache:t:" + tag }
    /// Where a tag's members wait while an invalidation removes them batch by batch.
    func drainKey(_ tag: String, _ token: String) -> String { configuration.keyPrefix + ":cache:drain:" + token + ":" + tag }
    func lockKey(_ key: String) -> String { configuration.keyPrefix + ":cache:lock:" + key }
    /// Set while another instance waits for the fill of `key`: the fill message then carries the value.
    func waitingKey(_ key: String) -> String { configuration.keyPrefix + ":cache:waiting:" + key }
}
