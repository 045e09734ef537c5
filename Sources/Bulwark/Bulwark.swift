import Logging
import RedisClient
import Resilience
import ServiceLifecycle
import Synchronization

/// Everything a service needs from Bulwark, created once: the Redis client, the shared circuit breakers, the
/// stores, their health, and pipelines built from profiles.
///
/// `Bulwark` is a `Service`: run it in your `ServiceGroup`, before the services that use it, so that a
/// graceful shutdown stops your server first and Bulwark last (breaker outcomes are flushed, the instance
/// leaves the live list, the Redis client closes).
///
/// ```swift
/// let bulwark = try Bulwark(redisURL: "redis://127.0.0.1:6379")
/// let payments = try bulwark.pipeline(named: "payments", profile: .externalAPI)
/// let group = ServiceGroup(services: [bulwark, server], gracefulShutdownSignals: [.sigterm], logger: logger)
/// // in a request handler:
/// let receipt = try await payments.execute { try await gateway.charge(order) }
/// ```
///
/// **Before it runs**, its shared breakers decide locally, each on its own, and the registry logs once
/// that it is not running; a breaker's very first call waits up to `SharedBreakerOptions.firstStateWait`
/// (1 s) for a shared state that cannot come. Once ``run()`` runs, each breaker adopts the fleet's state (a
/// local trip wins the merge) and ``health`` reports them shared.
public final class Bulwark: Service, Sendable {
    /// The configuration it started with.
    public let configuration: BulwarkConfiguration
    /// This instance's id in the fleet.
    public let instanceID: String
    /// The Redis client every store shares.
    public let client: RedisClient
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
    /// The fleet-wide kill switches of every pipeline made by ``pipeline(named:profile:scope:)``.
    public let switches: PolicySwitchboard
    private let logger: Logger
    private let pipelines = Mutex<[String: PolicyPipeline]>([:])
    private let running = Atomic<Bool>(false)

    /// Creates the client and every store; nothing connects until ``run()``.
    /// - Parameters:
    ///   - configuration: Where Redis is and the pipelines' profiles.
    ///   - logger: Where Bulwark and its stores log; `bulwark` by default.
    /// - Throws: ``BulwarkError`` with code ``BulwarkError/Code/invalidConfiguration`` naming the first bad setting.
    public init(configuration: BulwarkConfiguration = BulwarkConfiguration(), logger: Logger = Logger(label: "bulwark")) throws(BulwarkError) {
        for (name, profile) in configuration.pipelines {
            do {
                try profile.validate()
            } catch {
                throw BulwarkError(
                    .invalidConfiguration,
                    "pipelines.\(LogEscaping.escaped(name, limit: 64)).\(error.message ?? "invalid")",
                    underlying: error
                )
            }
        }
        guard configuration.redisCommandTimeout > .zero else {
            throw BulwarkError(.invalidConfiguration, "redisCommandTimeout: must be positive")
        }
        var redis: RedisConfiguration
        do {
            redis = try RedisConfiguration(url: configuration.redisURL)
        } catch {
            // The client's message names the faulty part of the URL, never its password.
            throw BulwarkError(.invalidConfiguration, "redisURL: \(error.message)", underlying: error)
        }
        redis.commandTimeout = configuration.redisCommandTimeout
        self.configuration = configuration
        self.logger = logger
        instanceID = configuration.instanceID.isEmpty ? SharedBreakerOptions.randomInstanceID() : configuration.instanceID
        let prefix = configuration.keyPrefix
        do {
            client = try RedisClient(configuration: redis, logger: logger)
            let stores = try SharedStores(client: client, instanceID: instanceID, keyPrefix: prefix, logger: logger)
            breakers = stores.breakers
            cache = stores.cache
            idempotency = stores.idempotency
            sessions = stores.sessions
            deadLetters = stores.deadLetters
            switches = stores.switches
        } catch {
            // Every store checks the prefix and the instance id the same way; the first refusal names them.
            throw BulwarkError(.invalidConfiguration, "keyPrefix or instanceID: \(error)", underlying: error)
        }
    }

    /// A Bulwark on the Redis at `redisURL`, with every other setting at its default.
    /// - Parameters:
    ///   - redisURL: The Redis every instance shares.
    ///   - logger: Where Bulwark logs.
    /// - Throws: ``BulwarkError`` when the URL is malformed.
    public convenience init(redisURL: String, logger: Logger = Logger(label: "bulwark")) throws(BulwarkError) {
        try self.init(configuration: BulwarkConfiguration(redisURL: redisURL), logger: logger)
    }

    /// The pipeline named `name`: its profile's policies in the one order of `PolicyPipeline`, with the shared
    /// breaker named `name` when the profile has a breaker.
    ///
    /// The profile is the one the configuration gives `name` if any (operators override without a rebuild),
    /// else `profile`. A second call with the same name returns the same pipeline, whatever profile it passes.
    /// - Parameters:
    ///   - name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`; also the breaker's name in Redis.
    ///   - profile: The profile when the configuration names none; `ResilienceProfile.standard` by default.
    ///   - scope: Whose outcomes trip the breaker; every instance's (`BreakerScope.shared`) by default.
    /// - Returns: The pipeline.
    /// - Throws: ``BulwarkError`` for a malformed name or an invalid profile.
    public func pipeline(named name: String, profile: ResilienceProfile = .standard, scope: BreakerScope = .shared) throws(BulwarkError)
        -> PolicyPipeline
    {
        if let existing = pipelines.withLock({ $0[name] }) { return existing }
        let chosen = configuration.pipelines[name] ?? profile
        let pipeline: PolicyPipeline
        do {
            try chosen.validate()
            let breaker = try chosen.circuitBreaker.map { try breakers.breaker(named: name, configuration: $0, scope: scope) }
            pipeline = try chosen.pipeline(named: name, circuitBreaker: breaker, switches: try switches.switches(forPipeline: name))
        } catch let error as ResilienceError {
            throw BulwarkError(
                .invalidConfiguration,
                "pipeline '\(LogEscaping.escaped(name, limit: 64))': \(error.message ?? "\(error.code)")",
                underlying: error
            )
        } catch let error as SharedStateError where error.code == .limitReached {
            throw BulwarkError(.limitReached, "pipeline '\(LogEscaping.escaped(name, limit: 64))': \(error.message)", underlying: error)
        } catch {
            throw BulwarkError(.invalidName, "pipeline '\(LogEscaping.escaped(name, limit: 64))': \(error)", underlying: error)
        }
        let limit = breakers.options.maxBreakers
        let kept = pipelines.withLock { pipelines -> PolicyPipeline? in
            if let raced = pipelines[name] { return raced }
            guard pipelines.count < limit else { return nil }
            pipelines[name] = pipeline
            return pipeline
        }
        guard let kept else {
            throw BulwarkError(
                .limitReached,
                "pipeline '\(LogEscaping.escaped(name, limit: 64))': this Bulwark already holds \(limit) pipelines (maxBreakers)"
            )
        }
        return kept
    }

    /// Whether it runs, whether Redis is shared, and what each store does; no round trip.
    public var health: BulwarkHealth {
        BulwarkHealth(running: running.load(ordering: .relaxed), sharedState: breakers.status, pendingDeadLetters: deadLetters.pendingCount)
    }

    /// Runs the stores' work (breaker flushes and pub/sub, cache invalidations, session sweeps, dead-letter
    /// replays and retries) until cancelled or shut down gracefully, then closes the Redis client.
    ///
    /// Run it once, in a `ServiceGroup`; a graceful shutdown flushes breaker outcomes and leaves the live list.
    public func run() async throws {
        running.store(true, ordering: .relaxed)
        logger.info("bulwark running", metadata: ["bulwark.instance": "\(instanceID)", "bulwark.prefix": "\(configuration.keyPrefix)"])
        let services: [any Service] = [
            breakers, cache, sessions, deadLetters, DeadLetterRetryListener(store: deadLetters, instanceID: instanceID, logger: logger),
            switches,
        ]
        await withDiscardingTaskGroup { group in
            for service in services {
                group.addTask {
                    do {
                        try await service.run()
                    } catch {
                        self.logger.warning("a Bulwark store stopped", metadata: ["bulwark.store": "\(type(of: service))", "error": "\(error)"])
                    }
                }
            }
        }
        running.store(false, ordering: .relaxed)
        client.shutdown()
    }
}
