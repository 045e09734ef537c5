import Resilience
import Testing

/// Closes one sampling window of `limiter` (configured with `minWindowSamples == latencies.count`) in which
/// every slot of the limit was taken and the first `latencies.count` calls to finish took `latencies`.
func closeWindow(_ limiter: AdaptiveConcurrencyLimiter, latencies: [Duration]) {
    let taken = limiter.currentLimit
    #expect(taken >= latencies.count, "the limit must let a whole window in at once")
    var acquired = 0
    while acquired < taken, limiter.tryAcquire() { acquired += 1 }
    #expect(acquired == taken)
    for latency in latencies { limiter.release(latency: latency) }
    for _ in latencies.count..<max(latencies.count, acquired) { limiter.release(latency: nil) }
}

/// A configuration whose windows close on every sample (no minimum duration), for one-call windows.
func oneCallWindows(
    initialLimit: Int = 100,
    minLimit: Int = 1,
    maxLimit: Int = 1_000,
    windowDuration: Duration = .zero,
    baselineDrift: Duration = .seconds(60)
) -> AdaptiveConcurrencyConfiguration {
    AdaptiveConcurrencyConfiguration(
        initialLimit: initialLimit,
        minLimit: minLimit,
        maxLimit: maxLimit,
        windowDuration: windowDuration,
        minWindowSamples: 1,
        maxWindowSamples: 1,
        baselineDrift: baselineDrift
    )
}
