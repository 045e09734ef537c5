/// How an ``AdaptiveConcurrencyLimiter`` measures latency and moves its limit.
///
/// Every parameter has a default that suits a dependency answering in milliseconds to seconds; see
/// ``AdaptiveConcurrencyLimiter`` for the algorithm the parameters steer.
///
/// | Parameter | Default | Meaning |
/// |---|---|---|
/// | ``initialLimit`` | 20 | the limit before the first window closes |
/// | ``minLimit`` | 1 | the limit never falls below this |
/// | ``maxLimit`` | 1,000 | the limit never rises above this |
/// | ``windowDuration`` | 100 ms | the shortest sampling window |
/// | ``minWindowSamples`` | 10 | latencies a window needs before it closes |
/// | ``maxWindowSamples`` | 1,000 | latencies a window keeps; a full window closes early |
/// | ``samplePercentile`` | 0.5 | which percentile of a window is its latency |
/// | ``tolerance`` | 1.5 | how much slower than the baseline a window may be before the limit shrinks |
/// | ``smoothing`` | 0.2 | how far each window moves the limit towards its new estimate |
/// | ``minGradient`` | 0.5 | the largest cut one window's estimate may make |
/// | ``baselineDrift`` | 60 s | how long a slower latency takes to become the baseline |
public struct AdaptiveConcurrencyConfiguration: Sendable, Hashable {
    /// The limit before the first window closes; between ``minLimit`` and ``maxLimit``.
    public var initialLimit: Int
    /// The lowest limit; at least 1.
    public var minLimit: Int
    /// The highest limit; at least ``minLimit`` and at most 1,000,000.
    public var maxLimit: Int
    /// The shortest time a sampling window lasts: a window closes when it is this old and holds
    /// ``minWindowSamples`` latencies. Zero closes windows on the sample count alone.
    public var windowDuration: Duration
    /// The latencies a window needs before it may close; at least 1.
    public var minWindowSamples: Int
    /// The latencies a window keeps, which bounds its memory; a window that fills closes early.
    /// At least ``minWindowSamples`` and at most 100,000.
    public var maxWindowSamples: Int
    /// The percentile of a window's latencies taken as its latency, in (0, 1]; the median by default,
    /// so that a few slow calls in a window do not move the limit.
    public var samplePercentile: Double
    /// How many times slower than the baseline a window may be before the limit shrinks; at least 1.
    /// Latency within this ratio is noise and lets the limit grow.
    public var tolerance: Double
    /// The weight of a window's new estimate in the limit, in (0, 1]: 1 jumps to the estimate, smaller
    /// values move towards it over several windows.
    public var smoothing: Double
    /// The lowest gradient one window's estimate uses, in (0, 1]: 0.5 cuts the estimate to at most half the
    /// limit plus headroom, however slow the window was.
    public var minGradient: Double
    /// How long it takes a slower latency to become the baseline: each window moves the baseline towards
    /// its latency by the window's age divided by this (at most all the way). Longer keeps the limit down
    /// through longer overloads; shorter accepts a dependency that became slower for good sooner. Positive.
    public var baselineDrift: Duration

    /// Creates a configuration; every parameter has the default in the table above.
    /// - Parameters:
    ///   - initialLimit: The first limit.
    ///   - minLimit: The lowest limit.
    ///   - maxLimit: The highest limit.
    ///   - windowDuration: The shortest window.
    ///   - minWindowSamples: The latencies a window needs.
    ///   - maxWindowSamples: The latencies a window keeps.
    ///   - samplePercentile: The percentile taken as a window's latency.
    ///   - tolerance: The slowdown taken as noise.
    ///   - smoothing: The weight of each new estimate.
    ///   - minGradient: The largest cut per window.
    ///   - baselineDrift: How long a slower latency takes to become the baseline.
    public init(
        initialLimit: Int = 20,
        minLimit: Int = 1,
        maxLimit: Int = 1_000,
        windowDuration: Duration = .milliseconds(100),
        minWindowSamples: Int = 10,
        maxWindowSamples: Int = 1_000,
        samplePercentile: Double = 0.5,
        tolerance: Double = 1.5,
        smoothing: Double = 0.2,
        minGradient: Double = 0.5,
        baselineDrift: Duration = .seconds(60)
    ) {
        self.initialLimit = initialLimit
        self.minLimit = minLimit
        self.maxLimit = maxLimit
        self.windowDuration = windowDuration
        self.minWindowSamples = minWindowSamples
        self.maxWindowSamples = maxWindowSamples
        self.samplePercentile = samplePercentile
        self.tolerance = tolerance
        self.smoothing = smoothing
        self.minGradient = minGradient
        self.baselineDrift = baselineDrift
    }

    /// Checks the invariants.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` naming the field at fault.
    public func validate() throws(ResilienceError) {
        func fail(_ message: String) -> ResilienceError { ResilienceError(.badRequest, message: message) }
        if minLimit < 1 { throw fail("minLimit must be at least 1") }
        if maxLimit < minLimit { throw fail("maxLimit must be at least minLimit (\(minLimit))") }
        if maxLimit > 1_000_000 { throw fail("maxLimit must be at most 1000000") }
        if initialLimit < minLimit || initialLimit > maxLimit {
            throw fail("initialLimit must be between minLimit (\(minLimit)) and maxLimit (\(maxLimit))")
        }
        if windowDuration < .zero { throw fail("windowDuration must not be negative") }
        if minWindowSamples < 1 { throw fail("minWindowSamples must be at least 1") }
        if maxWindowSamples < minWindowSamples { throw fail("maxWindowSamples must be at least minWindowSamples (\(minWindowSamples))") }
        if maxWindowSamples > 100_000 { throw fail("maxWindowSamples must be at most 100000") }
        if !(samplePercentile > 0 && samplePercentile <= 1) { throw fail("samplePercentile must be in (0, 1]") }
        if !(tolerance >= 1 && tolerance.isFinite) { throw fail("tolerance must be a finite number of at least 1") }
        if !(smoothing > 0 && smoothing <= 1) { throw fail("smoothing must be in (0, 1]") }
        if !(minGradient > 0 && minGradient <= 1) { throw fail("minGradient must be in (0, 1]") }
        if baselineDrift <= .zero { throw fail("baselineDrift must be positive") }
    }
}
