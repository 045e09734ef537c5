import Foundation
import Logging
import RedisClient
import Resilience
import SharedState
import Synchronization

/// The churn of W9, half of it at a time: every half names its own breakers and instance ids, writes its own
/// cache keys and creates its own sessions, so that whatever a store keeps of the past shows as growth.
final class GrowthChurn: Sendable {
    let client: RedisClient
    let logger: Logger
    /// Breakers named in all, each in one instance and never again.
    let breakers: Int
    /// Registries started and stopped in all, each with a new instance id.
    let restarts: Int
    /// Cache writes in all, each under a long-lived tag and a tag that gets invalidated.
    let cacheWrites: Int
    /// Sessions created in all, each left to expire.
    let sessions: Int
    /// Tags of each kind; the invalidated ones are invalidated in turn.
    static let tagCount = 50
    /// The pace of the cache writes, the same in both halves: a tag set still holds the members its last
    /// writes left (pruned by later writes under the tag), so an unpaced half that ends faster would end with
    /// a larger set for no other reason.
    static let cacheWritesPerSecond = 4_000
    /// One tag invalidation every this many cache writes.
    static let writesPerInvalidation = 500
    /// Cache values stay fresh this long and are kept as long again (fail-safe).
    static let cacheTimeToLive = Duration.seconds(1)
    /// Sessions not touched for this long expire.
    static let sessionIdle = Duration.seconds(1)
    /// The registries' retentions, short enough that what a half abandons is pruned within the run: a breaker
    /// nobody reports for leaves Redis and the breaker index after ``breakerRetention`` (the index at the next
    /// heartbeat of a live instance), a stopped instance's report leaves a breaker's instances hash after
    /// ``instanceReportRetention`` (at the breaker's next report), and a stopped instance leaves the live list
    /// after ``instanceTimeToLive``. A real fleet keeps them for hours and days; the mechanism is the same.
    static let breakerRetention = Duration.seconds(1)
    /// The churned breakers' ratio window: a breaker's window hash lives for two windows after its last report
    /// whatever the retention (30 s by default, which would keep every breaker named in the last minute).
    static let breakerWindow = Duration.seconds(1)
    static let breakerConfiguration = CircuitBreakerConfiguration(window: .time(breakerWindow))
    static let instanceReportRetention = Duration.seconds(1)
    static let instanceTimeToLive = Duration.milliseconds(500)
    static let heartbeatInterval = Duration.milliseconds(100)

    private let cache: SharedCache
    /// One instance that lives through the whole run, as a fleet always has some: its heartbeats prune the
    /// breaker index while the churned instances come and go.
    private let resident: SharedBreakerRegistry
    private let sessionStore: SessionStore
    private let services = Mutex<[Task<Void, any Error>]>([])

    init(client: RedisClient, logger: Logger, breakers: Int, restarts: Int, cacheWrites: Int, sessions: Int) throws {
        self.client = client
        self.logger = logger
        self.breakers = breakers
        self.restarts = restarts
        self.cacheWrites = cacheWrites
        self.sessions = sessions
        var cacheConfiguration = SharedCacheConfiguration()
        cacheConfiguration.failSafeMaximumAge = Self.cacheTimeToLive
        cache = try SharedCache(client: client, configuration: cacheConfiguration, logger: logger)
        resident = try SharedBreakerRegistry(client: client, options: Self.registryOptions(), logger: logger)
        sessionStore = try SessionStore(
            client: client,
            configuration: SessionConfiguration(idleTimeout: Self.sessionIdle, sweepInterval: .milliseconds(250)),
            logger: logger
        )
    }

    var tagInvalidations: Int { cacheWrites / Self.writesPerInvalidation }

    /// A registry's options with the run's short retentions and a new instance id.
    static func registryOptions() -> SharedBreakerOptions {
        SharedBreakerOptions(
            heartbeatInterval: heartbeatInterval,
            instanceTimeToLive: instanceTimeToLive,
            instanceReportRetention: instanceReportRetention,
            breakerRetention: breakerRetention
        )
    }

    /// Starts the cache's listener and the session sweeper, and files one long-lived value under each kept tag.
    func prepare() async throws {
        let cache = self.cache
        let sessionStore = self.sessionStore
        let resident = self.resident
        services.withLock {
            $0 = [Task { try await cache.run() }, Task { try await sessionStore.run() }, Task { try await resident.run() }]
        }
        _ = try await resident.breaker(named: "w9-common", configuration: Self.breakerConfiguration).execute { 0 }
        for tag in 0..<Self.tagCount {
            _ = try await cache.getOrSet("w9:anchor:\(tag)", options: .init(timeToLive: .seconds(3_600), tags: ["keep:\(tag)"])) { tag }
        }
    }

    func stop() {
        for task in services.withLock({ $0 }) { task.cancel() }
    }

    /// Runs half of every churn, then waits until what it made to expire has expired.
    func half(_ half: Int, progress: (String) -> Void) async throws {
        progress("\(restarts / 2) instance restarts naming \(breakers / 2) breakers")
        try await restartInstances(half)
        progress("\(cacheWrites / 2) tagged cache writes, \(tagInvalidations / 2) tag invalidations")
        try await writeCache(half)
        progress("\(sessions / 2) sessions")
        try await createSessions()
        // Long enough for the cache values (fresh and fail-safe) and the sessions of this half to expire, and for
        // the breakers and instances it abandoned to be pruned.
        let abandoned = max(Self.breakerRetention + Self.heartbeatInterval * 2, Self.breakerWindow * 2)
        try await Task.sleep(for: max(Self.cacheTimeToLive * 2, abandoned) + .milliseconds(500))
        // The resident reports once (at its next flush), which prunes the common breaker's instances hash of the
        // reports of the instances this half stopped.
        _ = try await resident.breaker(named: "w9-common", configuration: Self.breakerConfiguration).execute { 0 }
        try await Task.sleep(for: SharedBreakerOptions().flushInterval * 2)
    }

    private func restartInstances(_ half: Int) async throws {
        let count = restarts / 2
        let perInstance = max(breakers / restarts, 1)
        for restart in 0..<count {
            let registry = try SharedBreakerRegistry(client: client, options: Self.registryOptions(), logger: logger)
            let service = Task { try await registry.run() }
            let first = (half * count + restart) * perInstance
            for index in first..<(first + perInstance) {
                let breaker = try registry.breaker(named: "w9-b-\(index)", configuration: Self.breakerConfiguration)
                _ = try await breaker.execute { index }
            }
            _ = try await registry.breaker(named: "w9-common", configuration: Self.breakerConfiguration).execute { 0 }
            service.cancel()
            _ = await service.result
        }
    }

    private func writeCache(_ half: Int) async throws {
        let count = cacheWrites / 2
        let callers = 16
        let cache = self.cache
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    let clock = ContinuousClock()
                    let interval = Duration.seconds(callers) / Self.cacheWritesPerSecond
                    var next = clock.now
                    for index in stride(from: caller, to: count, by: callers) {
                        try await clock.sleep(until: next)
                        next += interval
                        let tag = index % Self.tagCount
                        let options = CacheEntryOptions(timeToLive: Self.cacheTimeToLive, tags: ["keep:\(tag)", "drop:\(tag)"])
                        _ = try await cache.getOrSet("w9:\(half):\(index)", options: options) { index }
                        if index % Self.writesPerInvalidation == 0 {
                            try await cache.invalidate(tag: "drop:\((index / Self.writesPerInvalidation) % Self.tagCount)")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
    }

    private func createSessions() async throws {
        let count = sessions / 2
        let callers = 8
        let store = sessionStore
        let user = try SessionUser("w9")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for caller in 0..<callers {
                group.addTask {
                    for _ in stride(from: caller, to: count, by: callers) {
                        _ = try await store.create(user: user, attributes: ["role": "reader"])
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
