/// The arithmetic of an ``AdaptiveConcurrencyLimiter``: latencies in, a limit out, one window at a time.
///
/// A value type with no lock and no clock of its own, so that it can be reasoned about (and tested) one
/// window at a time; the limiter keeps it under its lock and passes it the time.
struct AdaptiveLimitEstimator: Sendable {
    let configuration: AdaptiveConcurrencyConfiguration
    /// The limit, unrounded, so that small steps of several windows add up.
    private(set) var limit: Double
    /// The baseline latency in nanoseconds; `nil` until the first window closes.
    private(set) var baseline: Double?
    /// The latencies of the open window, at most `maxWindowSamples` of them.
    private var samples: [Int64] = []
    private var windowStart: ResilienceInstant
    private var peakInFlight = 0

    init(configuration: AdaptiveConcurrencyConfiguration, now: ResilienceInstant) {
        self.configuration = configuration
        limit = Double(configuration.initialLimit)
        windowStart = now
        samples.reserveCapacity(min(configuration.maxWindowSamples, 1_024))
    }

    /// The limit callers are held to: the estimate rounded down, within the bounds.
    var roundedLimit: Int {
        min(configuration.maxLimit, max(configuration.minLimit, Int(limit)))
    }

    /// Adds the latency of one finished call and closes the window when it is due.
    /// - Parameters:
    ///   - latency: How long the call took.
    ///   - inFlight: Calls in flight when it finished, itself included.
    ///   - now: The current instant.
    /// - Returns: Whether a window closed (and the limit may have moved).
    mutating func record(latency: Duration, inFlight: Int, now: ResilienceInstant) -> Bool {
        samples.append(max(1, latency.clampedNanoseconds))
        peakInFlight = max(peakInFlight, inFlight)
        let age = windowStart.duration(to: now)
        let due =
            samples.count >= configuration.maxWindowSamples
            || (samples.count >= configuration.minWindowSamples && age >= configuration.windowDuration)
        guard due else { return false }
        closeWindow(age: age)
        samples.removeAll(keepingCapacity: true)
        peakInFlight = 0
        windowStart = now
        return true
    }

    private mutating func closeWindow(age: Duration) {
        samples.sort()
        let rank = Int((Double(samples.count) * configuration.samplePercentile).rounded(.up))
        let sample = Double(samples[min(samples.count - 1, max(0, rank - 1))])
        let baseline = driftedBaseline(towards: sample, age: age)
        self.baseline = baseline
        let gradient = min(1, max(configuration.minGradient, configuration.tolerance * baseline / sample))
        let estimate = limit * gradient + limit.squareRoot()
        // A limit the callers did not use is not known to be safe: it grows only when at least half of it was used.
        if estimate > limit && Double(peakInFlight) < limit / 2 { return }
        let smoothed = limit * (1 - configuration.smoothing) + estimate * configuration.smoothing
        limit = min(Double(configuration.maxLimit), max(Double(configuration.minLimit), smoothed))
    }

    /// A faster window is the new baseline at once; a slower one pulls it up by the window's share of `baselineDrift`.
    private func driftedBaseline(towards sample: Double, age: Duration) -> Double {
        guard let baseline, sample > baseline else { return sample }
        let weight = min(1, age.secondsDouble / configuration.baselineDrift.secondsDouble)
        return baseline + (sample - baseline) * weight
    }
}
