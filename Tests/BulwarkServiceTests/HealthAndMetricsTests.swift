import Foundation
import HTTPTypes
import HummingbirdCore
import HummingbirdTesting
import RedisTestSupport
import SharedState
import Testing

@testable import BulwarkService

/// Health follows Redis as it goes away and comes back; metrics carry the documented names.
@Suite(.serialized) struct HealthAndMetricsTests {
    @Test func healthTurnsDegradedWhenRedisStopsAndHealthyWhenItReturns() async throws {
        try await ServiceHarness.run { service in
            let healthy = try await service.send(.get, "/health")
            #expect(healthy.status == .ok)
            #expect(healthy.json["status"] as? String == "healthy")
            #expect(healthy.json["degradation"] as? String == "NORMAL")
            let redis = try #require((healthy.json["dependencies"] as? [String: Any])?["redis"] as? [String: Any])
            #expect(redis["status"] as? String == "up")
            let latencyIsPositive = (redis["latencyMilliseconds"] as? Double).map { $0 > 0 }
            #expect(latencyIsPositive == true, "\(redis)")

            try await service.redis.stop()
            let degraded = try await service.send(.get, "/health")
            #expect(degraded.status == .ok)
            #expect(degraded.json["status"] as? String == "degraded")
            #expect(degraded.json["sharedState"] as? String == "fallback")
            #expect(degraded.json["degradation"] as? String == "MODERATE")
            let stores = try #require(degraded.json["stores"] as? [String: [String: Any]])
            #expect(stores["idempotency"]?["mode"] as? String == "fail-closed")
            #expect(stores["breakers"]?["mode"] as? String == "local-fallback")
            #expect(stores["rateLimits"]?["mode"] as? String == "local-share")
            let ready = try await service.send(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect((ready.json["reason"] as? String)?.contains("fallback") == true)
            #expect(try await service.send(.get, "/health/live").status == .ok)

            try await service.redis.restart()
            let back = try await eventually(attempts: 100) {
                let response = try await service.send(.get, "/health")
                guard response.json["status"] as? String == "healthy" else { throw HealthNotYet() }
                return response
            }
            #expect(back.json["sharedState"] as? String == "shared")
        }
    }

    @Test func withoutAnAcceptableFallbackTheInstanceIsUnhealthyAndNotReady() async throws {
        try await ServiceHarness.run(configure: { $0.readyOnFallback = false }) { service in
            #expect(try await service.send(.get, "/health/ready").status == .ok)
            try await service.redis.stop()
            let ready = try await service.send(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
            #expect(ready.json["ready"] as? Bool == false)
            let health = try await service.send(.get, "/health")
            #expect(health.status == .serviceUnavailable)
            #expect(health.json["status"] as? String == "unhealthy")
            #expect(health.json["degradation"] as? String == "CRITICAL")
        }
    }

    @Test func lowDiskMakesTheInstanceUnhealthy() async throws {
        try await ServiceHarness.run(configure: { $0.minimumFreeDiskMegabytes = 10_000_000 }) { service in
            let health = try await service.send(.get, "/health")
            #expect(health.status == .serviceUnavailable)
            let disk = (health.json["dependencies"] as? [String: Any])?["disk"] as? [String: Any]
            #expect(disk?["status"] as? String == "down")
            #expect(try await service.send(.get, "/health/ready").status == .serviceUnavailable)
        }
    }

    @Test func metricsCarryTheDocumentedNamesAndCountWhatHappened() async throws {
        try await ServiceHarness.run { service in
            _ = try await service.components.cache.getOrSet("m:1") { "one" }
            _ = try await service.send(.get, "/health")
            _ = try await service.send(.get, "/nothing")
            let metrics = try await service.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
            let text = metrics.text
            for name in [
                "bulwark_http_requests_total{method=\"GET\",route=\"/health\",status=\"200\"}",
                "bulwark_http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"}",
                "bulwark_http_request_duration_seconds_bucket",
                "bulwark_redis_command_duration_seconds_count",
                "bulwark_cache_requests_total{tier=\"redis\",result=\"miss\"}",
                "bulwark_cache_requests_total{tier=\"local\",result=\"hit\"}",
                "bulwark_health_status",
                "bulwark_degradation_level",
                "bulwark_sessions_active",
                "bulwark_shared_state_fallback{store=\"breakers\"}",
            ] {
                #expect(text.contains(name), "missing \(name)")
            }
            let redisCommands = text.split(separator: "\n").first { $0.hasPrefix("bulwark_redis_command_duration_seconds_count") }
            let someCommandsCounted = redisCommands.flatMap { Double($0.split(separator: " ").last ?? "") }.map { $0 > 0 }
            #expect(someCommandsCounted == true, "\(redisCommands ?? "no bulwark_redis_command_duration_seconds_count")")
        }
    }

    @Test func theDegradationRuleAsDocumented() {
        #expect(DegradationLevel.of(breakers: 0, open: 0, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: false) == .normal)
        #expect(DegradationLevel.of(breakers: 10, open: 0, halfOpen: 1, redisReachable: true, memoryHigh: false, unhealthy: false) == .minor)
        #expect(DegradationLevel.of(breakers: 10, open: 1, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: false) == .minor)
        #expect(DegradationLevel.of(breakers: 10, open: 3, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: false) == .moderate)
        #expect(DegradationLevel.of(breakers: 10, open: 0, halfOpen: 0, redisReachable: false, memoryHigh: false, unhealthy: false) == .moderate)
        #expect(DegradationLevel.of(breakers: 10, open: 6, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: false) == .severe)
        #expect(DegradationLevel.of(breakers: 10, open: 1, halfOpen: 0, redisReachable: false, memoryHigh: false, unhealthy: false) == .severe)
        #expect(DegradationLevel.of(breakers: 3, open: 3, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: false) == .critical)
        #expect(DegradationLevel.of(breakers: 0, open: 0, halfOpen: 0, redisReachable: true, memoryHigh: false, unhealthy: true) == .critical)
    }
}

private struct HealthNotYet: Error {}
