import Logging
import RedisClient
import SharedState

/// One command's connection to Redis and the stores on it, built from the ``GlobalOptions``.
struct OperatorContext: Sendable {
    /// The client every store shares.
    let client: RedisClient
    /// The key prefix of the service's keys and channels.
    let prefix: String
    /// The Redis URL with its password replaced by `***`, for messages.
    let redisDisplay: String
    /// Whether output is JSON.
    let json: Bool

    /// Commands say what they do on stdout and stderr themselves: the libraries' logs stay quiet.
    static let logger = Logger(label: "bulwark.cli") { _ in SwiftLogNoOpLogHandler() }

    /// Connects lazily to the Redis the options name.
    /// - Throws: ``OperatorError`` with code ``OperatorError/Code/usage`` for a malformed URL or key prefix.
    init(_ options: GlobalOptions) throws(OperatorError) {
        let url = options.resolvedRedisURL()
        redisDisplay = RedisURL.redact(url)
        prefix = try options.resolvedKeyPrefix()
        json = options.json
        do {
            var configuration = try RedisConfiguration(url: url)
            configuration.connectTimeout = .seconds(2)
            configuration.commandTimeout = .seconds(5)
            configuration.poolSize = 1
            configuration.clientName = "bulwark-cli"
            client = try RedisClient(configuration: configuration, logger: Self.logger)
        } catch {
            throw OperatorError(error, redis: redisDisplay)
        }
    }

    /// The shared breakers.
    var breakers: SharedBreakerStore { SharedBreakerStore(client: client, prefix: prefix) }

    /// The kill switches of the named pipelines.
    var switches: PolicySwitchStore { PolicySwitchStore(client: client, prefix: prefix) }

    /// The live instances and registered breakers.
    var directory: InstanceDirectory { InstanceDirectory(prefix: prefix) }

    /// The shared cache, whose invalidations reach every instance's in-process tier.
    func cache() throws(SharedStateError) -> SharedCache {
        try SharedCache(client: client, configuration: SharedCacheConfiguration(keyPrefix: prefix), logger: Self.logger)
    }

    /// The session store.
    func sessions() throws(SharedStateError) -> SessionStore {
        try SessionStore(client: client, prefix: prefix, logger: Self.logger)
    }

    /// The idempotency store.
    func idempotency() throws(SharedStateError) -> IdempotencyStore {
        try IdempotencyStore(client: client, prefix: prefix, logger: Self.logger)
    }

    /// The dead-letter store.
    func deadLetters() throws(SharedStateError) -> DeadLetterStore {
        try DeadLetterStore(client: client, configuration: DeadLetterConfiguration(keyPrefix: prefix), logger: Self.logger)
    }
}
