import Logging
import Resilience
import Testing

@Suite struct TelemetryTests {
    @Test func breakerStateGaugeExistsWhileClosedAndFollowsTransitions() throws {
        let metrics = RecordingMetrics()
        let clock = ManualClock()
        let breaker = try CircuitBreaker(
            name: "metered",
            configuration: CircuitBreakerConfiguration(failureThreshold: .consecutiveFailures(1)),
            clock: clock,
            telemetry: ResilienceTelemetry(logger: Logger(label: "test"), metricsFactory: metrics)
        )
        let gauge = RecordingMetrics.key(ResilienceTelemetryNames.breakerState, [("breaker", "metered")])
        #expect(metrics.values.value[gauge] == 0)
        _ = try? breaker.executeSync { () throws -> Int in throw TestFailure(.timeout) }
        #expect(metrics.values.value[gauge] == 1)
        let transitions = RecordingMetrics.key(
            ResilienceTelemetryNames.breakerTransitions,
            [("breaker", "metered"), ("from", "closed"), ("to", "open")]
        )
        #expect(metrics.values.value[transitions] == 1)
        _ = try? breaker.executeSync { 1 }
        #expect(metrics.values.value[RecordingMetrics.key(ResilienceTelemetryNames.breakerRejections, [("breaker", "metered")])] == 1)
    }

    @Test func retriesAndFallbacksAreCounted() async throws {
        let metrics = RecordingMetrics()
        let telemetry = ResilienceTelemetry(logger: Logger(label: "test"), metricsFactory: metrics)
        let retry = try RetryPolicy(
            name: "counted",
            configuration: RetryConfiguration(maxAttempts: 2, backoff: .constant(.zero)),
            clock: ManualClock(),
            telemetry: telemetry
        )
        let fallback = FallbackPolicy(name: "counted", value: 0, telemetry: telemetry)
        let value = try await fallback.execute { try await retry.execute { throw TestFailure(.timeout) } }
        #expect(value == 0)
        let values = metrics.values.value
        #expect(values[RecordingMetrics.key(ResilienceTelemetryNames.retryAttempts, [("retry", "counted"), ("kind", "timeout")])] == 1)
        #expect(values[RecordingMetrics.key(ResilienceTelemetryNames.retryGaveUp, [("retry", "counted"), ("reason", "attempts")])] == 1)
        #expect(values[RecordingMetrics.key(ResilienceTelemetryNames.fallbacks, [("fallback", "counted"), ("kind", "timeout")])] == 1)
    }
}
