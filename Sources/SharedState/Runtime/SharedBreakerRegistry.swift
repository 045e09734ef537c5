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
///   counted locally. Successes alone are flushed lazily (``SharedBreakerOptions/lazyFlushInterval``); a
///   failure is flushed at once, with the successes before it, unless Redis's last answer showed the fleet
///   is far enough from the threshold that it cannot change the decision yet (``SharedBreakerOptions/lazyFlushing``).
/// - Redis decides every transition in a script (``SharedBreakerStore``) and publishes it; every instance
///   applies it to its local view on receipt. After a pub/sub gap, every breaker is read again and Redis's
///   state is adopted.
/// - A new breaker decides nothing before it knows the fleet's state: its first calls wait (at most
///   ``SharedBreakerOptions/firstStateWait``) for the first read. A registry that is not running decides
///   locally (and logs once why) until its first read.
/// - When Redis cannot be reached, a breaker around Redis itself opens: every breaker decides locally
///   with the same configuration, ``status`` says so, and no protected call fails because of Redis. When
///   Redis answers again, a breaker that transitioned meanwhile merges (the more conservative wins), the
///   others adopt Redis's state; a state Redis lost is re-seeded from the surviving instances.
/// - Operators act through ``command(_:breaker:)`` (or `isolate()`, `disable()`, `reset()` on a breaker,
///   which go the same way): fleet-wide, or an error.
///
/// The rules are written down in `docs/convergence.md`.
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
    let jobQueue: SharedBreakerJobQueue
    let fallback = FallbackFlag()
    /// Set once it was logged that breakers decide locally because ``run()`` does not run.
    let notRunningLogged = FallbackFlag()
    /// How long the registry's traces stay in Redis.
    let retention: SharedBreakerRetention
    /// Set while ``run()`` runs: failing calls wait for their report only when someone will send it.
    let workerRunning = FallbackFlag()
    let fallbackReason = Mutex<String>("")
    let logger: Logger
    /// `bulwark_shared_state_fallback`: 1 while breakers decide locally because Redis is unreachable, else 0.
    let fallbackGauge = Gauge(label: "bulwark_shared_state_fallback", dimensions: [("store", "breakers")])
    /// The breaker around Redis itself: it opens at the first failed Redis call and decides when to retry.
    let redisGuard: CircuitBreaker
    /// Refusals from a Redis that answers (see ``redisRefusal``).
    let refusals = RefusalRecord()
    /// `bulwark_shared_state_refused`: 1 while Redis refuses this instance's calls, else 0.
    let refusedGauge = Gauge(label: "bulwark_shared_state_refused", dimensions: [("store", "breakers")])
    /// When the heartbeat last named the breakers.
    let announcements = Mutex(BreakerAnnouncements())

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
        jobQueue = SharedBreakerJobQueue()
        retention = SharedBreakerRetention(
            reportMilliseconds: SharedBreakerRules.milliseconds(options.instanceReportRetention),
            breakerMilliseconds: SharedBreakerRules.milliseconds(options.breakerRetention)
        )
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
    /// - Throws: ``SharedStateError`` for a malformed name or when the registry already holds
    ///   ``SharedBreakerOptions/maxBreakers`` breakers (``SharedStateError/Code/limitReached``),
    ///   `ResilienceError` for an invalid configuration.
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
            let shared = SharedBreakerAuthority(name: breakerName, rules: rules, context: authorityContext, now: breaker.clock.now.nanoseconds)
            // Decides locally until the first read of Redis's state merges it; calls wait for that read.
            breaker.attach(authority: shared, awaitingFirstMerge: true)
            if fallback.isOn { breaker.authorityDidBecomeUnavailable() }
            authority = shared
        }
        let winner = entries.withLock { entries -> Entry? in
            if let raced = entries[name] { return raced }
            guard entries.count < options.maxBreakers else { return nil }
            let entry = Entry(breaker: breaker, authority: authority, rules: rules)
            entries[name] = entry
            return entry
        }
        guard let winner else {
            breaker.detachAuthority()
            throw SharedStateError(
                .limitReached,
                "the registry already holds \(options.maxBreakers) breakers (SharedBreakerOptions.maxBreakers); breaker names should not grow without bound"
            )
        }
        if winner.breaker === breaker {
            jobQueue.enqueue(.synchronize(name))
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

    /// Lets every call that waits (for a failure's report, or for a first state) go on, when the worker stops
    /// or Redis is gone.
    func releaseWaitingFailures() {
        for entry in entries.withLock({ Array($0.values) }) {
            if let authority = entry.authority {
                authority.releaseFailureWaiters()
                authority.firstStateArrived()
            }
        }
    }

    /// What every authority of this registry shares with it.
    var authorityContext: SharedBreakerAuthority.Context {
        SharedBreakerAuthority.Context(
            jobs: jobQueue,
            fallback: fallback,
            workerRunning: workerRunning,
            notRunningLogged: notRunningLogged,
            logger: logger,
            firstStateWait: options.firstStateWait,
            failureReportWait: options.failureReportWait,
            options: options
        )
    }
}
