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
        let redis = await pingRedis()
        let redisUp = redis.status == "up"
        let onFallback = components.breakers.status.isDegraded || !redisUp

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
            if diskLow || (onFallback && !configuration.readyOnFallback) {
                .unhealthy
            } else if onFallback || memoryHigh || counts.open > 0 || counts.halfOpen > 0 {
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
            breakers: counts
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
        let redisUp = await pingRedis().status == "up"
        if redisUp { return Readiness(ready: true, reason: "shared state in Redis") }
        if configuration.readyOnFallback { return Readiness(ready: true, reason: "Redis unreachable: serving on the local fallback") }
        return Readiness(ready: false, reason: "Redis unreachable and readyOnFallback is false")
    }

    private func pingRedis() async -> HealthReport.Dependency {
        let start = ContinuousClock.now
        do {
            let reply = try await components.client.send("PING")
            let milliseconds = Double((ContinuousClock.now - start) / .microseconds(1)).rounded() / 1_000
            guard reply.string == "PONG" else { return .init(status: "down", latencyMilliseconds: milliseconds, detail: "unexpected reply") }
            return .init(status: "up", latencyMilliseconds: milliseconds)
        } catch {
            let milliseconds = Double((ContinuousClock.now - start) / .microseconds(1)).rounded() / 1_000
            return .init(status: "down", latencyMilliseconds: milliseconds, detail: error.code.description)
        }
    }

    private func stores(onFallback: Bool) -> [String: HealthReport.Store] {
        let pending = components.deadLetters.pendingCount
        return [
            "breakers": .init(mode: onFallback ? "local-fallback" : "shared"),
            "cache": .init(mode: onFallback ? "stale-and-local" : "shared"),
            "idempotency": .init(mode: onFallback ? "fail-closed" : "shared"),
            "sessions": .init(mode: onFallback ? "fail-closed" : "shared"),
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
