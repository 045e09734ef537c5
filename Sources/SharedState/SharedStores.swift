import Logging
import RedisClient
import Resilience

/// Every shared store on one Redis client, under one key prefix and one instance id: the one place where an
/// application (or the service) makes its breakers, cache, idempotency records, sessions, dead letters and
/// kill switches.
public struct SharedStores: Sendable {
    /// The shared circuit breakers.
    public let breakers: SharedBreakerRegistry
    /// The tiered cache.
    public let cache: SharedCache
    /// Idempotency records (fail closed while Redis is away).
    public let idempotency: IdempotencyStore
    /// Sliding sessions (fail closed while Redis is away).
    public let sessions: SessionStore
    /// Dead letters (buffered locally while Redis is away).
    public let deadLetters: DeadLetterStore
    /// The fleet-wide kill switches of the named pipelines.
    public let switches: PolicySwitchboard

    /// Creates every store on `client`; nothing connects until the stores run.
    /// - Parameters:
    ///   - client: The Redis client every store shares.
    ///   - instanceID: This instance's id in the fleet.
    ///   - keyPrefix: The prefix of every key and channel.
    ///   - switchedOff: The policies switched off at first, by pipeline name; Redis's state wins once read.
    ///   - logger: Where the stores log.
    /// - Throws: ``SharedStateError`` when a store refuses the prefix or the instance id.
    public init(
        client: RedisClient,
        instanceID: String,
        keyPrefix: String,
        switchedOff: [String: [PolicyKind]] = [:],
        logger: Logger
    ) throws {
        breakers = try SharedBreakerRegistry(
            client: client,
            options: SharedBreakerOptions(instanceID: instanceID, keyPrefix: keyPrefix),
            logger: logger
        )
        cache = try SharedCache(
            client: client,
            configuration: SharedCacheConfiguration(keyPrefix: keyPrefix),
            instanceID: instanceID,
            logger: logger
        )
        idempotency = try IdempotencyStore(client: client, prefix: keyPrefix, logger: logger)
        sessions = try SessionStore(client: client, prefix: keyPrefix, logger: logger)
        deadLetters = try DeadLetterStore(client: client, configuration: DeadLetterConfiguration(keyPrefix: keyPrefix), logger: logger)
        switches = try PolicySwitchboard(client: client, keyPrefix: keyPrefix, initiallyOff: switchedOff, logger: logger)
    }
}
