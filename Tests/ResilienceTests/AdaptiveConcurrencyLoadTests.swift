import Resilience
import Testing

/// The limiter on the real clock, with real concurrent callers.
@Suite struct AdaptiveConcurrencyLoadTests {
    @Test func concurrentCallersDriveTheLimitDownWhenTheUpstreamSlowsDownAndUpWhenItRecovers() async throws {
        // A tolerance of 3 absorbs what two busy cores do to 1 ms sleeps; 100 ms is still far past it.
        let limiter = try AdaptiveConcurrencyLimiter(
            name: "load",
            configuration: AdaptiveConcurrencyConfiguration(
                initialLimit: 40,
                windowDuration: .zero,
                minWindowSamples: 5,
                maxWindowSamples: 5,
                tolerance: 3
            )
        )
        let latency = Locked(Duration.milliseconds(1))
        let stop = Locked(false)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    while !stop.value {
                        do {
                            let wait = latency.value
                            try await limiter.execute { try await Task.sleep(for: wait) }
                        } catch let error as ResilienceError where error.code == .bulkheadFull {
                            try await Task.sleep(for: .milliseconds(1))
                        }
                    }
                }
            }
            let measured = try await waitUntil(deadline: .seconds(60)) { limiter.baselineLatency != nil }
            #expect(measured, "no window closed within a minute")
            // 100 × the fast latency: however much the busy machine stretches a 1 ms sleep, the slow calls are
            // past the tolerance, and the limit falls towards 4 (see the deterministic tests for the arithmetic).
            latency.mutate { $0 = .milliseconds(100) }
            let fell = try await waitUntil(deadline: .seconds(60)) { limiter.currentLimit <= 10 }
            #expect(fell, "the limit stayed at \(limiter.currentLimit)")
            // Fast again: with 16 callers at most in flight the limit grows while it is under 32 (half of it in use).
            latency.mutate { $0 = .milliseconds(1) }
            let rose = try await waitUntil(deadline: .seconds(60)) { limiter.currentLimit >= 20 }
            stop.mutate { $0 = true }
            try await group.waitForAll()
            #expect(rose, "the limit stayed at \(limiter.currentLimit)")
        }
        #expect(limiter.activeCalls == 0)
    }

    /// Polls `condition` every 5 ms until it holds or `deadline` has passed.
    private func waitUntil(deadline: Duration, _ condition: () -> Bool) async throws -> Bool {
        let end = ContinuousClock.now + deadline
        while ContinuousClock.now < end {
            if condition() { return true }
            try await Task.sleep(for: .milliseconds(5))
        }
        return condition()
    }
}
