import Foundation
import Metrics
import RedisClient
import Resilience
import SharedState

/// Makes health reports: pings Redis, reads disk and memory, looks at the stores and breakers, and keeps
/// the health gauges in step with what it last answered.
final class HealthChecker: Sendable {
    private let components: ServiceComponents
    private let statusGauge = Gauge(label: ServiceMetricNames.healthStatus)
    private let levelGauge = Gauge(label: ServiceMetricNames.degradationLevel)

    init(components: ServiceComponents) {
        self.components = components
    }

    /// A fresh report. Never throws: a failing check is part of the report.
    func report() async -> HealthReport {
        let configuration = components.configuration
        let (redis, pingFailure) = await pingRedis()
        let redisUp = redis.status == "up"
        let refusal = RedisRefusalReason(registry: components.breakers.redisRefusal, ping: pingFailure)
        // A Redis that answers with a refusal is not an outage: no fallback is in use for it.
        let onFallback = components.breakers.status.isDegraded || (!redisUp && refusal == nil)

        let freeDisk = SystemResources.freeDiskBytes(at: configuration.diskPath)
        let diskLow = freeDisk.map { $0 < UInt64(configuration.minimumFreeDiskMegabytes) * 1_048_576 } ?? false
        let resident = SystemResources.residentMemoryBytes()
        let memoryHigh = resident.map { $0 > UInt64(configuration.maximumResidentMemoryMegabytes) * 1_048_576 } ?? false

        let states = components.breakers.breakers.map(\.state).filter { $0 != .disabled }
        let counts = HealthReport.BreakerCounts(
            total: states.count,
            open: states.filter { $0 == .open || $0 == .isolated }.count,
            halfOpen: states.filter { $0 == .halfOpen }.count
        )

        let status: HealthStatus =
            if diskLow || (onFallback && !configuration.readyOnFallback) || refusal?.isMisconfiguration == true {
                .unhealthy
            } else if onFallback || refusal != nil || memoryHigh || counts.open > 0 || counts.halfOpen > 0 {
                .degraded
            } else {
                .healthy
            }
        let level = DegradationLevel.of(
            breakers: counts.total,
            open: counts.open,
            halfOpen: counts.halfOpen,
            redisReachable: !onFallback,
            memoryHigh: memoryHigh,
            unhealthy: status == .unhealthy
        )
        statusGauge.record(status.gaugeValue)
        levelGauge.record(level.gaugeValue)
        Gauge(label: ServiceMetricNames.dependencyUp, dimensions: [("dependency", "redis")]).record(redisUp ? 1 : 0)
        Gauge(label: ServiceMetricNames.dependencyUp, dimensions: [("dependency", "disk")]).record(diskLow ? 0 : 1)

        return HealthReport(
            status: status,
            reason: refusal?.code,
            degradation: level,
            instance: components.instanceID,
            sharedState: onFallback ? "fallback" : "shared",
            checkedAt: Date(),
            dependencies: [
                "redis": redis,
                "disk": HealthReport.Dependency(
                    status: diskLow ? "down" : "up",
                    detail: freeDisk.map { "\($0 / 1_048_576) MB free at \(configuration.diskPath)" } ?? "free space unknown"
                ),
                "memory": HealthReport.Dependency(
                    status: memoryHigh ? "degraded" : "up",
                    detail: resident.map { "\($0 / 1_048_576) MB resident" } ?? "resident size unknown"
                ),
            ],
            stores: stores(onFallback: onFallback),
            breakers: counts,
            switches: HealthReport.Switches(mode: components.switches.status.rawValue, pipelines: components.switches.pipelines)
        )
    }

    /// Whether the instance should receive traffic: Redis reachable, or the fallback acceptable; and disk.
    func readiness() async -> Readiness {
        let configuration = components.configuration
        if let free = SystemResources.freeDiskBytes(at: configuration.diskPath),
            free < UInt64(configuration.minimumFreeDiskMegabytes) * 1_048_576
        {
            return Readiness(ready: false, reason: "free disk space below \(configuration.minimumFreeDiskMegabytes) MB")
        }
        let (redis, pingFailure) = await pingRedis()
        if let refusal = RedisRefusalReason(registry: components.breakers.redisRefusal, ping: pingFailure), refusal.isMisconfiguration {
            return Readiness(ready: false, reason: "\(refusal.code): \(refusal.message)")
        }
        if redis.status == "up" { return Readiness(ready: true, reason: "shared state in Redis") }
        if configuration.readyOnFallback { return Readiness(ready: true, reason: "Redis unreachable: serving on the local fallback") }
        return Readiness(ready: false, reason: "Redis unreachable and readyOnFallback is false")
    }

    /// A `PING` round trip, and the error when it failed.
    private func pingRedis() async -> (HealthReport.Dependency, RedisClientError?) {
        let start = ContinuousClock.now
        do {
            let reply = try await components.client.send("PING")
            let milliseconds = Double((ContinuousClock.now - start) / .microseconds(1)).rounded() / 1_000
            guard reply.string == "PONG" else { return (.init(status: "down", latencyMilliseconds: milliseconds, detail: "unexpected reply"), nil) }
            return (.init(status: "up", latencyMilliseconds: milliseconds), nil)
        } catch {
            let milliseconds = Double((ContinuousClock.now - start) / .microseconds(1)).rounded() / 1_000
            let detail = error.failureKind.isUnreachable ? error.code.description : error.failureKind.description
            return (.init(status: "down", latencyMilliseconds: milliseconds, detail: detail), error)
        }
    }

    private func stores(onFallback: Bool) -> [String: HealthReport.Store] {
        let pending = components.deadLetters.pendingCount
        return [
            "breakers": .init(mode: onFallback ? "local-fallback" : "shared"),
            "cache": .init(mode: onFallback ? "stale-and-local" : "shared"),
            "idempotency": .init(mode: onFallback ? "fail-closed" : "shared"),
            "sessions": .init(mode: onFallback ? "fail-closed" : "shared"),
            "rateLimits": .init(mode: onFallback ? "local-share" : "shared"),
            "deadLetters": .init(mode: onFallback || pending > 0 ? "local-buffer" : "shared", pending: pending),
        ]
    }
}

/// What `GET /health/ready` answers.
struct Readiness: Encodable {
    /// Whether to send traffic here.
    let ready: Bool
    /// Why.
    let reason: String
}
