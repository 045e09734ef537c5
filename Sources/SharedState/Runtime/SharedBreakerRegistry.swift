import Logging
import Metrics
import RedisClient
import Resilience
import ServiceLifecycle
import Synchronization

/// Circuit breakers shared by every instance of a service through Redis, with a local fallback.
///
/// ```swift
/// let registry = try SharedBreakerRegistry(client: client)
/// let payments = try registry.breaker(named: "payments", configuration: .init(failureThreshold: .consecutiveFailures(5)))
/// // run `registry` as a Service (ServiceGroup), then:
/// let receipt = try await payments.execute { try await gateway.charge(order) }
/// ```
///
/// - While a breaker is closed, whether a call may pass is decided from local memory alone; outcomes are
///   counted locally and flushed every ``SharedBreakerOptions/flushInterval``, and at once after a failure.
/// - Redis decides every transition in a script (``SharedBreakerStore``) and publishes it; every instance
///   applies it to its local view on receipt. After a pub/sub gap, every breaker is read again.
/// - When Redis cannot be reached, a breaker around Redis itself opens: every breaker decides locally
///   with the same configuration, ``status`` says so, and no protected call fails because of Redis. When
///   Redis answers again, each breaker's local and shared views are merged (the more conservative wins).
public final class SharedBreakerRegistry: Service, Sendable {
    /// The options.
    public let options: SharedBreakerOptions
    /// The Redis side.
    public let store: SharedBreakerStore

    struct Entry: Sendable {
        let breaker: CircuitBreaker
        let authority: SharedBreakerAuthority?
        let rules: SharedBreakerRules
    }

    let entries = Mutex<[String: Entry]>([:])
    let jobs: AsyncStream<SharedBreakerJob>
    let jobQueue: AsyncStream<SharedBreakerJob>.Continuation
    let fallback = FallbackFlag()
    /// Set while ``run()`` runs: failing calls wait for their report only when someone will send it.
    let workerRunning = FallbackFlag()
    let fallbackReason = Mutex<String>("")
    let logger: Logger
    let subscriberConfiguration: RedisConfiguration
    /// `bulwark_shared_state_fallback`: 1 while breakers decide locally because Redis is unreachable, else 0.
    let fallbackGauge = Gauge(label: "bulwark_shared_state_fallback", dimensions: [("store", "breakers")])
    /// The breaker around Redis itself: it opens at the first failed Redis call and decides when to retry.
    let redisGuard: CircuitBreaker
    /// Refusals from a Redis that answers (see ``redisRefusal``).
    let refusals = RefusalRecord()
    /// `bulwark_shared_state_refused`: 1 while Redis refuses this instance's calls, else 0.
    let refusedGauge = Gauge(label: "bulwark_shared_state_refused", dimensions: [("store", "breakers")])

    /// Creates a registry over a client; call ``run()`` (or add it to a `ServiceGroup`) to start its work.
    /// - Throws: ``SharedStateError`` when the options are invalid.
    public init(
        client: RedisClient,
        options: SharedBreakerOptions = SharedBreakerOptions(),
        logger: Logger = Logger(label: "bulwark.breakers")
    ) throws(SharedStateError) {
        try options.validate()
        self.options = options
        self.store = SharedBreakerStore(client: client, prefix: options.keyPrefix)
        self.logger = logger
        self.subscriberConfiguration = client.configuration
        (jobs, jobQueue) = AsyncStream.makeStream(of: SharedBreakerJob.self)
        // The guard flips at every probe while Redis is away; the registry logs the outage once itself.
        var guardLogger = logger
        guardLogger.logLevel = .warning
        do {
            redisGuard = try CircuitBreaker(
                name: "redis",
                configuration: CircuitBreakerConfiguration(
                    failureThreshold: .consecutiveFailures(1),
                    breakDuration: .fixed(options.recoveryProbeInterval),
                    halfOpen: .init(permittedCalls: 1, successThreshold: 1, maximumWait: .seconds(30)),
                    failureKinds: [.timeout, .connection, .unavailable, .serverError, .unknown]
                ),
                telemetry: ResilienceTelemetry(logger: guardLogger)
            )
        } catch {
            throw SharedStateError(.invalidConfiguration, "redis guard: \(error)")
        }
        fallbackGauge.record(0)
        refusedGauge.record(0)
    }

    /// Whether breakers are shared through Redis right now or decided locally.
    public var status: SharedStateStatus {
        fallback.isOn ? .localFallback(reason: fallbackReason.withLock { $0 }) : .shared
    }

    /// The breaker named `name`, created and attached to Redis on first use.
    ///
    /// A second call with the same name returns the same breaker, whatever configuration it passes.
    /// - Parameters:
    ///   - name: 1 to 64 characters from `A-Z a-z 0-9 . _ -`.
    ///   - configuration: How it trips and recovers.
    ///   - scope: Whose outcomes decide its trips; ``BreakerScope/shared`` by default.
    /// - Throws: ``SharedStateError`` for a malformed name, `ResilienceError` for an invalid configuration.
    public func breaker(
        named name: String,
        configuration: CircuitBreakerConfiguration = CircuitBreakerConfiguration(),
        scope: BreakerScope = .shared
    ) throws -> CircuitBreaker {
        let breakerName = try BreakerName(name)
        if case .quorum(let instances) = scope, instances < 1 {
            throw SharedStateError(.invalidConfiguration, "quorum must be at least 1 instance, got \(instances)")
        }
        if let existing = entries.withLock({ $0[name] }) { return existing.breaker }
        let rules = SharedBreakerRules(scope: scope, configuration: configuration)
        let breaker = try CircuitBreaker(name: name, configuration: configuration)
        let authority: SharedBreakerAuthority?
        switch scope {
        case .local:
            // Decides alone; the periodic flush only reports its state for the dashboard.
            authority = nil
        case .shared, .quorum:
            let shared = SharedBreakerAuthority(
                name: breakerName,
                rules: rules,
                jobs: jobQueue,
                fallback: fallback,
                workerRunning: workerRunning
            )
            breaker.attach(authority: shared)
            if fallback.isOn { breaker.authorityDidBecomeUnavailable() }
            authority = shared
        }
        let winner = entries.withLock { entries -> Entry in
            if let raced = entries[name] { return raced }
            let entry = Entry(breaker: breaker, authority: authority, rules: rules)
            entries[name] = entry
            return entry
        }
        if winner.breaker === breaker {
            jobQueue.yield(.synchronize(name))
        } else {
            breaker.detachAuthority()
        }
        return winner.breaker
    }

    /// Every breaker of this instance.
    public var breakers: [CircuitBreaker] {
        entries.withLock { $0.values.map(\.breaker) }.sorted { $0.name < $1.name }
    }

    /// Runs the Redis worker, the pub/sub listener and the timers until the task is cancelled, then
    /// flushes what is left and removes this instance from the live list.
    public func run() async throws {
        _ = workerRunning.set(true)
        defer { releaseWaitingFailures() }
        // A graceful shutdown ends the work like a cancellation; the final flush below still runs.
        await cancelWhenGracefulShutdown {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { await self.processJobs() }
                group.addTask { await self.listenForTransitions() }
                group.addTask { await self.runTimers() }
                await withTaskCancellationHandler {
                    await group.next()
                } onCancel: {
                    self.jobQueue.finish()
                }
                group.cancelAll()
            }
        }
        // Client calls honour cancellation, and this task is cancelled: the last flush runs in a task of its
        // own so that it still reaches Redis.
        await Task { await self.finalFlush() }.value
        _ = workerRunning.set(false)
    }

    /// Lets every failing call that waits for a report go on, when the worker stops or Redis is gone.
    func releaseWaitingFailures() {
        for entry in entries.withLock({ Array($0.values) }) {
            if let authority = entry.authority { authority.resumeFailureWaiters(authority.takeFailureWaiters()) }
        }
    }
}
