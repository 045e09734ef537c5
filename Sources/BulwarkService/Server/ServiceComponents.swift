import Logging
import Metrics
import RedisClient
import ServiceLifecycle
import SharedState

/// The shared-state machinery one service instance runs: one Redis client and every store on it.
public final class ServiceComponents: Sendable {
    /// The configuration the instance started with.
    public let configuration: ServiceConfiguration
    /// This instance's id in the fleet.
    public let instanceID: String
    /// The Redis client every store shares.
    public let client: RedisClient
    /// Shared circuit breakers; also decides whether the instance runs on the local fallback.
    public let breakers: SharedBreakerRegistry
    /// The tiered cache.
    public let cache: SharedCache
    /// Idempotency records (fail closed while Redis is away).
    public let idempotency: IdempotencyStore
    /// Sliding sessions (fail closed while Redis is away).
    public let sessions: SessionStore
    /// Dead letters (buffered locally while Redis is away).
    public let deadLetters: DeadLetterStore
    /// The live instances and registered breakers.
    public let directory: InstanceDirectory
    /// The fleet-wide kill switches of the named pipelines.
    public let switches: PolicySwitchboard

    /// Creates every store on one client; nothing connects until the services run.
    /// - Throws: ``ServiceConfigurationError`` for a malformed Redis URL or a store refusing its settings.
    public init(configuration: ServiceConfiguration, logger: Logger) throws(ServiceConfigurationError) {
        // Metrics made before the backend is installed would go nowhere.
        ServiceMetrics.bootstrap()
        self.configuration = configuration
        instanceID = configuration.instanceID.isEmpty ? SharedBreakerOptions.randomInstanceID() : configuration.instanceID
        var redis: RedisConfiguration
        do {
            redis = try RedisConfiguration(url: configuration.redisURL)
        } catch {
            // The client's own message names the wrong part of the URL and never its password.
            throw ServiceConfigurationError(message: "configuration key 'redisURL': \(error)")
        }
        redis.commandTimeout = .milliseconds(configuration.redisCommandTimeoutMilliseconds)
        redis.maximumReconnectDelay = .milliseconds(500)
        let prefix = configuration.keyPrefix
        do {
            let latency = Metrics.Timer(label: ServiceMetricNames.redisCommandDuration)
            client = try RedisClient(configuration: redis, logger: logger) { duration in
                latency.recordNanoseconds(Int64(duration / .nanoseconds(1)))
            }
            let stores = try SharedStores(
                client: client,
                instanceID: instanceID,
                keyPrefix: prefix,
                switchedOff: configuration.switchedOff,
                logger: logger
            )
            breakers = stores.breakers
            cache = stores.cache
            idempotency = stores.idempotency
            sessions = stores.sessions
            deadLetters = stores.deadLetters
            switches = stores.switches
        } catch {
            throw ServiceConfigurationError(message: "cannot set up the shared state: \(error)")
        }
        directory = InstanceDirectory(prefix: prefix)
    }
}

extension ServiceComponents {
    /// The long-running parts, in start order; a graceful shutdown stops them in reverse, after the HTTP
    /// server has finished its in-flight requests, so breaker outcomes are flushed last. The retry listener runs
    /// `bulwark dlq retry` requests through this instance's dead-letter handlers.
    var services: [any Service] {
        [breakers, cache, sessions, deadLetters, DeadLetterRetryListener(store: deadLetters, instanceID: instanceID), switches]
    }
}
