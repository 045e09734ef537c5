import Resilience
import Testing

/// The limiter as callers see it: the Bulkhead API, rejections, cancellation, metrics and configuration.
@Suite struct AdaptiveConcurrencyLimiterTests {
    @Test func rejectsCallsOverTheLimitAsBulkheadFull() async throws {
        let gate = ManualClock()
        let metrics = RecordingMetrics()
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "full",
            configuration: AdaptiveConcurrencyConfiguration(initialLimit: 2),
            clock: ManualClock(),
            telemetry: ResilienceTelemetry(metricsFactory: metrics)
        )
        async let first: Void = limiter.execute { try await gate.sleep(for: .seconds(1)) }
        async let second: Void = limiter.execute { try await gate.sleep(for: .seconds(1)) }
        await gate.waitForSleepers(count: 2)
        #expect(limiter.activeCalls == 2)
        let error = await #expect(throws: ResilienceError.self) { try await limiter.execute { 1 } }
        #expect(error?.code == .bulkheadFull)
        let message = error?.message ?? ""
        #expect(message.contains("'full'"))
        #expect(message.contains("limit of 2"))
        let syncError = #expect(throws: ResilienceError.self) { try limiter.executeSync { 1 } }
        #expect(syncError?.code == .bulkheadFull)
        #expect(!limiter.tryAcquire())

        gate.advance(by: .seconds(1))
        try await first
        try await second
        #expect(limiter.activeCalls == 0)
        let afterwards = try limiter.executeSync { 3 }
        #expect(afterwards == 3)
        let recorded = metrics.values.value
        #expect(recorded[RecordingMetrics.key(ResilienceTelemetryNames.adaptiveConcurrencyRejections, [("limiter", "full")])] == 2)
        #expect(recorded[RecordingMetrics.key(ResilienceTelemetryNames.adaptiveConcurrencyLimit, [("limiter", "full")])] == 2)
    }

    @Test func theGaugeFollowsTheLimit() throws {
        let metrics = RecordingMetrics()
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "gauge",
            configuration: oneCallWindows(initialLimit: 50),
            clock: ManualClock(),
            telemetry: ResilienceTelemetry(metricsFactory: metrics)
        )
        let key = RecordingMetrics.key(ResilienceTelemetryNames.adaptiveConcurrencyLimit, [("limiter", "gauge")])
        #expect(metrics.values.value[key] == 50)
        closeWindow(limiter, latencies: [.milliseconds(10)])
        for _ in 0..<10 { closeWindow(limiter, latencies: [.milliseconds(100)]) }
        #expect(limiter.currentLimit < 50)
        #expect(metrics.values.value[key] == Double(limiter.currentLimit))
    }

    @Test func aCancelledCallGivesItsSlotBackAndIsNotSampled() async throws {
        let gate = ManualClock()
        let limiter = try AdaptiveConcurrencyLimiter(name: "cancel", configuration: oneCallWindows(initialLimit: 1), clock: ManualClock())
        let running = Task { try await limiter.execute { try await gate.sleep(for: .seconds(1)) } }
        await gate.waitForSleepers(count: 1)
        #expect(limiter.activeCalls == 1)
        running.cancel()
        await #expect(throws: CancellationError.self) { try await running.value }
        #expect(limiter.activeCalls == 0)
        #expect(limiter.baselineLatency == nil)
        #expect(limiter.currentLimit == 1)
        let next = try await limiter.execute { 2 }
        #expect(next == 2)
    }

    @Test(arguments: [
        (AdaptiveConcurrencyConfiguration(minLimit: 0), "minLimit"),
        (AdaptiveConcurrencyConfiguration(minLimit: 10, maxLimit: 5), "maxLimit"),
        (AdaptiveConcurrencyConfiguration(maxLimit: 2_000_000), "maxLimit"),
        (AdaptiveConcurrencyConfiguration(initialLimit: 0), "initialLimit"),
        (AdaptiveConcurrencyConfiguration(initialLimit: 5_000), "initialLimit"),
        (AdaptiveConcurrencyConfiguration(windowDuration: .seconds(-1)), "windowDuration"),
        (AdaptiveConcurrencyConfiguration(minWindowSamples: 0), "minWindowSamples"),
        (AdaptiveConcurrencyConfiguration(minWindowSamples: 20, maxWindowSamples: 10), "maxWindowSamples"),
        (AdaptiveConcurrencyConfiguration(maxWindowSamples: 1_000_000), "maxWindowSamples"),
        (AdaptiveConcurrencyConfiguration(samplePercentile: 0), "samplePercentile"),
        (AdaptiveConcurrencyConfiguration(samplePercentile: .nan), "samplePercentile"),
        (AdaptiveConcurrencyConfiguration(tolerance: 0.9), "tolerance"),
        (AdaptiveConcurrencyConfiguration(tolerance: .infinity), "tolerance"),
        (AdaptiveConcurrencyConfiguration(smoothing: 0), "smoothing"),
        (AdaptiveConcurrencyConfiguration(smoothing: 1.5), "smoothing"),
        (AdaptiveConcurrencyConfiguration(minGradient: 0), "minGradient"),
        (AdaptiveConcurrencyConfiguration(baselineDrift: .zero), "baselineDrift"),
    ])
    func rejectsABadConfigurationNamingTheField(configuration: AdaptiveConcurrencyConfiguration, field: String) {
        let error = #expect(throws: ResilienceError.self) { try AdaptiveConcurrencyLimiter(name: "bad", configuration: configuration) }
        #expect(error?.code == .badRequest)
        let message = error?.message ?? ""
        #expect(message.hasPrefix(field + " "))
    }

    @Test func theDefaultConfigurationIsValid() throws {
        let limiter = try AdaptiveConcurrencyLimiter(name: "defaults")
        #expect(limiter.currentLimit == 20)
    }
}
