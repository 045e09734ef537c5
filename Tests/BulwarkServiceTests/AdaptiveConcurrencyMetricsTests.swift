import HTTPTypes
import HummingbirdCore
import HummingbirdTesting
import Resilience
import Testing

@testable import BulwarkService

/// An adaptive concurrency limiter anywhere in the process shows its limit and rejections on `GET /metrics`.
@Suite struct AdaptiveConcurrencyMetricsTests {
    @Test func theLimitAndTheRejectionsAppearOnTheMetricsPage() async throws {
        try await ServiceHarness.run { service in
            let limiter = try AdaptiveConcurrencyLimiter(
                name: "metrics-page",
                configuration: AdaptiveConcurrencyConfiguration(initialLimit: 1, windowDuration: .zero, minWindowSamples: 1)
            )
            #expect(limiter.tryAcquire())
            #expect(throws: ResilienceError.self) { try limiter.executeSync { 1 } }
            limiter.release(latency: .milliseconds(1))
            let metrics = try await service.send(.get, "/metrics")
            #expect(metrics.status == .ok)
            let lines = metrics.text.split(separator: "\n")
            let limitLine = lines.first { $0.hasPrefix("bulwark_adaptive_concurrency_limit{limiter=\"metrics-page\"}") }
            let limit = limitLine.flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect(limit == Double(limiter.currentLimit), "\(limitLine ?? "no limit gauge")")
            let rejectionsLine = lines.first { $0.hasPrefix("bulwark_adaptive_concurrency_rejections_total{limiter=\"metrics-page\"}") }
            let rejections = rejectionsLine.flatMap { Double($0.split(separator: " ").last ?? "") }
            #expect(rejections == 1, "\(rejectionsLine ?? "no rejection counter")")
        }
    }
}
