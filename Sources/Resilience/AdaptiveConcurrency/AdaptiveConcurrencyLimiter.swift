import Logging
import Metrics
import Synchronization

/// A bulkhead that finds its own limit from the latency of the calls it lets through.
///
/// It has ``Bulkhead``'s API (``execute(_:)``, ``executeSync(_:)``, ``tryAcquire()``, rejections as
/// ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull``), but its limit moves:
/// when the dependency slows down because too many calls are in flight, the limit falls until latency
/// recovers; when latency is back at its baseline, the limit grows again. It never queues: a call over the
/// limit is rejected at once, since waiting here would add the very latency the limit keeps out.
///
/// The algorithm, after Netflix concurrency-limits' Gradient2 and Envoy's adaptive concurrency filter:
///
/// 1. Each call's latency (start to finish on the clock) is a sample. Calls that fail fast say nothing about
///    queueing in the dependency and are not sampled, nor are cancelled ones; calls that fail with a
///    ``ResilienceError/Code-swift.struct/timeout`` are, since they were slow.
/// 2. Samples are gathered in a window that closes when it is at least
///    ``AdaptiveConcurrencyConfiguration/windowDuration`` old and holds
///    ``AdaptiveConcurrencyConfiguration/minWindowSamples`` samples (or early, when it holds
///    ``AdaptiveConcurrencyConfiguration/maxWindowSamples``). The window's latency is its
///    ``AdaptiveConcurrencyConfiguration/samplePercentile`` (the median by default), so a few slow calls do not count.
/// 3. The **baseline** is a decaying minimum of window latencies: a faster window becomes the baseline at
///    once; a slower one pulls it up by `window age ÷ baselineDrift`. The baseline is never re-measured by
///    cutting the limit to its minimum (Envoy does, and its users see 503 spikes every interval); it drifts.
/// 4. `gradient = clamp(tolerance × baseline ÷ window latency, minGradient, 1)`: 1 while latency is within
///    ``AdaptiveConcurrencyConfiguration/tolerance`` of the baseline, so noise never shrinks the limit.
/// 5. `estimate = limit × gradient + √limit` (the square root is headroom: room to discover more capacity),
///    and `limit = limit × (1 − smoothing) + estimate × smoothing`, within
///    ``AdaptiveConcurrencyConfiguration/minLimit`` … ``AdaptiveConcurrencyConfiguration/maxLimit``. A
///    limit grows only if at least half of it was in use during the window.
///
/// Under a slowdown that keeps the gradient at `g`, the limit settles at `1 ÷ (1 − g)²` (4 at the default
/// `minGradient` of 0.5) or ``AdaptiveConcurrencyConfiguration/minLimit`` if higher.
///
/// The limit is ``currentLimit`` and the gauge ``ResilienceTelemetryNames/adaptiveConcurrencyLimit``;
/// rejections count in ``ResilienceTelemetryNames/adaptiveConcurrencyRejections``.
///
/// ```swift
/// let limiter = try AdaptiveConcurrencyLimiter(name: "search")
/// let hits = try await limiter.execute { try await search.query(text) }
/// ```
public final class AdaptiveConcurrencyLimiter: Sendable {
    /// The name, used in errors, logs and metrics.
    public let name: String
    /// The configuration.
    public let configuration: AdaptiveConcurrencyConfiguration
    private let clock: any ResilienceClock
    private let telemetry: ResilienceTelemetry
    private let inFlight = Atomic<Int>(0)
    private let limit: Atomic<Int>
    private let estimator: Mutex<AdaptiveLimitEstimator>
    private let limitGauge: Gauge
    private let rejections: Counter

    /// Creates a limiter.
    /// - Parameters:
    ///   - name: The name.
    ///   - configuration: How the limit moves.
    ///   - clock: The clock latencies and windows are measured on.
    ///   - telemetry: Where logs and metrics go.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/badRequest`` when the
    ///   configuration is invalid.
    public init(
        name: String,
        configuration: AdaptiveConcurrencyConfiguration = AdaptiveConcurrencyConfiguration(),
        clock: any ResilienceClock = SystemClock(),
        telemetry: ResilienceTelemetry = ResilienceTelemetry()
    ) throws(ResilienceError) {
        try configuration.validate()
        self.name = name
        self.configuration = configuration
        self.clock = clock
        self.telemetry = telemetry
        limit = Atomic(configuration.initialLimit)
        estimator = Mutex(AdaptiveLimitEstimator(configuration: configuration, now: clock.now))
        limitGauge = telemetry.gauge(ResilienceTelemetryNames.adaptiveConcurrencyLimit, [("limiter", name)])
        rejections = telemetry.counter(ResilienceTelemetryNames.adaptiveConcurrencyRejections, [("limiter", name)])
        limitGauge.record(configuration.initialLimit)
    }

    /// The calls that may run at once now.
    public var currentLimit: Int { limit.load(ordering: .relaxed) }
    /// Calls running now.
    public var activeCalls: Int { inFlight.load(ordering: .relaxed) }
    /// The latency the limiter takes as the dependency's unloaded latency; `nil` until the first window closes.
    public var baselineLatency: Duration? {
        estimator.withLock { $0.baseline }.map { .clampedSeconds($0 / 1e9) }
    }

    /// Runs `operation` if the limit allows one more call now, and learns from its latency.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull`` when the limit
    ///   is reached, or what `operation` threw.
    public func execute<T>(_ operation: () async throws -> T) async throws -> T {
        guard tryAcquire() else { throw rejection() }
        let start = clock.now
        do {
            let value = try await operation()
            release(latency: start.duration(to: clock.now))
            return value
        } catch {
            release(latency: Self.isLatencySignal(error) ? start.duration(to: clock.now) : nil)
            throw error
        }
    }

    /// Runs a synchronous `operation` if the limit allows one more call now, and learns from its latency.
    /// - Parameter operation: The call.
    /// - Returns: What `operation` returned.
    /// - Throws: ``ResilienceError`` with code ``ResilienceError/Code-swift.struct/bulkheadFull`` when the limit
    ///   is reached, or what `operation` threw.
    public func executeSync<T>(_ operation: () throws -> T) throws -> T {
        guard tryAcquire() else { throw rejection() }
        let start = clock.now
        do {
            let value = try operation()
            release(latency: start.duration(to: clock.now))
            return value
        } catch {
            release(latency: Self.isLatencySignal(error) ? start.duration(to: clock.now) : nil)
            throw error
        }
    }

    /// Takes a slot if the limit allows one more call now; nothing is counted as a rejection.
    /// - Returns: Whether a slot was taken; give it back with ``release(latency:)``.
    public func tryAcquire() -> Bool {
        var current = inFlight.load(ordering: .relaxed)
        while current < limit.load(ordering: .relaxed) {
            let (exchanged, original) = inFlight.weakCompareExchange(
                expected: current,
                desired: current + 1,
                ordering: .sequentiallyConsistent
            )
            if exchanged { return true }
            current = original
        }
        return false
    }

    /// Gives a slot back, with what the call's latency says about the dependency.
    /// - Parameter latency: How long the call took, or `nil` when its latency says nothing about load
    ///   (it failed fast or was cancelled).
    public func release(latency: Duration?) {
        let (wasInFlight, _) = inFlight.subtract(1, ordering: .sequentiallyConsistent)
        guard let latency else { return }
        let now = clock.now
        estimator.withLock { estimator in
            guard estimator.record(latency: latency, inFlight: wasInFlight, now: now) else { return }
            let new = estimator.roundedLimit
            let old = limit.exchange(new, ordering: .relaxed)
            limitGauge.record(new)
            guard old != new else { return }
            telemetry.logger.debug(
                "adaptive concurrency limit changed",
                metadata: [
                    "event": "\(ResilienceTelemetryNames.adaptiveConcurrencyLimitEvent)",
                    "limiter.name": "\(name)",
                    "limiter.from": "\(old)",
                    "limiter.to": "\(new)",
                    "limiter.baseline": "\(Duration.clampedSeconds((estimator.baseline ?? 0) / 1e9))",
                ]
            )
        }
    }

    /// Slow failures (timeouts) are load signals; fast failures and cancellations are not.
    private static func isLatencySignal(_ error: any Error) -> Bool {
        ResilienceError(classifying: error).code == .timeout
    }

    private func rejection() -> ResilienceError {
        rejections.increment()
        let limit = currentLimit
        telemetry.logger.debug(
            "adaptive concurrency limiter rejected a call",
            metadata: [
                "event": "\(ResilienceTelemetryNames.adaptiveConcurrencyRejectionEvent)", "limiter.name": "\(name)",
                "limiter.limit": "\(limit)",
            ]
        )
        return ResilienceError(.bulkheadFull, message: "adaptive concurrency limiter '\(name)': limit of \(limit) calls reached")
    }
}
