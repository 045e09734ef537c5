import Metrics
import Resilience
import SharedState
import Synchronization

/// Brings the metrics that are cheaper to read than to count on every call up to date when `/metrics` is
/// scraped: calls through this instance's breakers by outcome (from each breaker's totals), cache reads by
/// tier (from the cache's statistics), the fleet's session count, and the health gauges.
final class MetricsCollector: Sendable {
    private struct Seen {
        var breakers: [String: CircuitBreakerOutcomeCounts] = [:]
        var cache = SharedCacheStatistics()
    }

    private let components: ServiceComponents
    private let health: HealthChecker
    private let seen = Mutex(Seen())
    private let sessionsGauge = Gauge(label: ServiceMetricNames.sessionsActive)

    init(components: ServiceComponents, health: HealthChecker) {
        self.components = components
        self.health = health
    }

    /// Adds what happened since the last scrape to the counters and refreshes the gauges.
    func collect() async {
        let breakers = components.breakers.breakers.map { ($0.name, $0.stats.totals) }
        let cache = components.cache.statistics
        let (breakerDeltas, cacheDelta) = seen.withLock { seen in
            var deltas: [(String, CircuitBreakerOutcomeCounts)] = []
            for (name, totals) in breakers {
                deltas.append((name, totals - (seen.breakers[name] ?? CircuitBreakerOutcomeCounts())))
                seen.breakers[name] = totals
            }
            let delta = SharedCacheStatistics(
                localHits: cache.localHits - seen.cache.localHits,
                localMisses: cache.localMisses - seen.cache.localMisses,
                redisHits: cache.redisHits - seen.cache.redisHits,
                redisMisses: cache.redisMisses - seen.cache.redisMisses
            )
            seen.cache = cache
            return (deltas, delta)
        }
        for (name, delta) in breakerDeltas {
            count(ServiceMetricNames.breakerCalls, [("breaker", name), ("outcome", "success")], delta.successes)
            count(ServiceMetricNames.breakerCalls, [("breaker", name), ("outcome", "failure")], delta.failures)
            count(ServiceMetricNames.breakerCalls, [("breaker", name), ("outcome", "rejected")], delta.rejections)
        }
        count(ServiceMetricNames.cacheRequests, [("tier", "local"), ("result", "hit")], UInt64(cacheDelta.localHits))
        count(ServiceMetricNames.cacheRequests, [("tier", "local"), ("result", "miss")], UInt64(cacheDelta.localMisses))
        count(ServiceMetricNames.cacheRequests, [("tier", "redis"), ("result", "hit")], UInt64(cacheDelta.redisHits))
        count(ServiceMetricNames.cacheRequests, [("tier", "redis"), ("result", "miss")], UInt64(cacheDelta.redisMisses))
        if let sessions = try? await components.sessions.activeCount() {
            sessionsGauge.record(sessions)
        }
        _ = await health.report()
    }

    /// Creates the series even at zero, so that rates and alerts see it from the first scrape.
    private func count(_ label: String, _ dimensions: [(String, String)], _ amount: UInt64) {
        Counter(label: label, dimensions: dimensions).increment(by: Int64(amount))
    }
}
