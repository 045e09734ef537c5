import Resilience
import Testing

/// How the limit moves with latency, one window at a time, with latencies injected through
/// `tryAcquire`/`release(latency:)` and time on a ``ManualClock``.
@Suite struct AdaptiveConcurrencyLimitTests {
    @Test func theLimitFallsWhenTheUpstreamSlowsDownAndRisesBackWhenItRecovers() throws {
        let limiter = try AdaptiveConcurrencyLimiter(name: "upstream", configuration: oneCallWindows(), clock: ManualClock())
        closeWindow(limiter, latencies: [.milliseconds(10)])
        #expect(limiter.baselineLatency == .milliseconds(10))
        let before = limiter.currentLimit
        #expect(before >= 100)

        // 10 ms → 100 ms: gradient = max(minGradient 0.5, 1.5 × 10 ÷ 100) = 0.5, so each window gives
        // limit ← 0.9 × limit + 0.2 × √limit, which settles at 4; from ~102 it is 5.5 after 60 windows.
        var previous = before
        for _ in 0..<60 {
            closeWindow(limiter, latencies: [.milliseconds(100)])
            #expect(limiter.currentLimit <= previous)
            previous = limiter.currentLimit
        }
        #expect(limiter.currentLimit <= 6)
        #expect(limiter.currentLimit >= 4)
        #expect(limiter.baselineLatency == .milliseconds(10))

        // Back to 10 ms: gradient 1, limit ← limit + 0.2 × √limit: √limit grows by 0.1 a window,
        // from ~2.3 to 12 (a limit of ~150) in 100 windows.
        for _ in 0..<100 {
            closeWindow(limiter, latencies: [.milliseconds(10)])
            #expect(limiter.currentLimit >= previous)
            previous = limiter.currentLimit
        }
        #expect(limiter.currentLimit >= before)
    }

    @Test func noiseWithinTheToleranceDoesNotShrinkTheLimit() throws {
        let configuration = AdaptiveConcurrencyConfiguration(initialLimit: 20, windowDuration: .zero, minWindowSamples: 10, maxWindowSamples: 10)
        let limiter = try AdaptiveConcurrencyLimiter(name: "noisy", configuration: configuration, clock: ManualClock())
        closeWindow(limiter, latencies: Array(repeating: .milliseconds(10), count: 10))
        var previous = limiter.currentLimit
        let jittery: [Duration] = [10, 12, 14, 11, 13, 14, 9, 12, 14, 10].map { .milliseconds($0) }
        let outliers: [Duration] = Array(repeating: .milliseconds(10), count: 8) + [.milliseconds(500), .seconds(2)]
        for index in 0..<20 {
            closeWindow(limiter, latencies: index.isMultiple(of: 2) ? jittery : outliers)
            #expect(limiter.currentLimit >= previous)
            previous = limiter.currentLimit
        }
        #expect(limiter.currentLimit > 20)

        // The contrast that shows the check above can fail: a window four times as slow as the baseline shrinks it.
        closeWindow(limiter, latencies: Array(repeating: .milliseconds(40), count: 10))
        #expect(limiter.currentLimit < previous)
    }

    @Test func theLimitStaysWithinItsBounds() throws {
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "bounded",
            configuration: oneCallWindows(initialLimit: 20, minLimit: 8, maxLimit: 30),
            clock: ManualClock()
        )
        for _ in 0..<100 { closeWindow(limiter, latencies: [.milliseconds(5)]) }
        #expect(limiter.currentLimit == 30)
        for _ in 0..<200 {
            closeWindow(limiter, latencies: [.seconds(1)])
            #expect(limiter.currentLimit >= 8)
        }
        #expect(limiter.currentLimit == 8)
    }

    @Test func anUnusedLimitDoesNotGrow() throws {
        let limiter = try AdaptiveConcurrencyLimiter(name: "idle", configuration: oneCallWindows(initialLimit: 40), clock: ManualClock())
        for _ in 0..<50 {
            #expect(limiter.tryAcquire())
            limiter.release(latency: .milliseconds(10))
        }
        #expect(limiter.currentLimit == 40)
    }

    @Test func theBaselineDriftsInsteadOfTheLimitDroppingToReMeasureIt() throws {
        let clock = ManualClock()
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "drift",
            configuration: oneCallWindows(windowDuration: .seconds(1), baselineDrift: .seconds(10)),
            clock: clock
        )
        clock.advance(by: .seconds(1))
        closeWindow(limiter, latencies: [.milliseconds(10)])
        var lowest = limiter.currentLimit
        // The upstream is slower for good: each 1 s window pulls the baseline a tenth of the way to 100 ms;
        // after ~10 windows 1.5 × baseline passes 100 ms and the limit grows again. It bottoms out near 70, never at minLimit.
        for _ in 0..<40 {
            clock.advance(by: .seconds(1))
            closeWindow(limiter, latencies: [.milliseconds(100)])
            lowest = min(lowest, limiter.currentLimit)
        }
        #expect(lowest >= 60)
        #expect(limiter.currentLimit > lowest)
        let baseline = try #require(limiter.baselineLatency)
        #expect(baseline >= .milliseconds(95))
        #expect(baseline <= .milliseconds(100))

        // A faster window is the new baseline at once.
        clock.advance(by: .seconds(1))
        closeWindow(limiter, latencies: [.milliseconds(20)])
        #expect(limiter.baselineLatency == .milliseconds(20))
    }

    @Test func timeoutsAreSampledAndFastFailuresAreNot() async throws {
        let clock = ManualClock()
        let limiter = try AdaptiveConcurrencyLimiter(name: "failures", configuration: oneCallWindows(), clock: clock)
        let refused = Task {
            try await limiter.execute {
                try await clock.sleep(for: .milliseconds(3))
                throw TestFailure(.connection)
            }
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .milliseconds(3))
        await #expect(throws: TestFailure.self) { try await refused.value }
        #expect(limiter.baselineLatency == nil)

        let timedOut = Task {
            try await limiter.execute {
                try await clock.sleep(for: .milliseconds(7))
                throw ResilienceError(.timeout)
            }
        }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .milliseconds(7))
        await #expect(throws: ResilienceError.self) { try await timedOut.value }
        #expect(limiter.baselineLatency == .milliseconds(7))
        #expect(limiter.activeCalls == 0)
    }
}

extension AdaptiveConcurrencyLimitTests {
    @Test func anEnormousLatencyIsReadBackWithoutOverflowing() throws {
        let limiter = try AdaptiveConcurrencyLimiter(name: "huge", configuration: oneCallWindows(), clock: ManualClock())
        closeWindow(limiter, latencies: [.seconds(Int64.max)])
        let baseline = try #require(limiter.baselineLatency)
        #expect(baseline > .seconds(100 * 365 * 24 * 3600))
        closeWindow(limiter, latencies: [.milliseconds(1)])
        #expect(limiter.baselineLatency == .milliseconds(1))
    }
}
