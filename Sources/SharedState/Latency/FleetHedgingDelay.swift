import Resilience

/// A hedging delay that is a dependency's latency quantile across the fleet (the p95 by default), from a
/// ``FleetLatencySummary``; get one with ``FleetLatencySummary/hedgingDelay(for:whenUnknown:)``.
///
/// It answers from memory: the estimate computed at the summary's last sync, fleet-wide while Redis answers,
/// this instance's own while it does not, and `whenUnknown` until there are enough samples. The hedging policy
/// tells it every latency it observes, which the summary counts and shares.
public struct FleetHedgingDelay: HedgingDelayProvider {
    /// The dependency's name.
    public var dependency: String { track.dependency }
    /// The delay used while too few samples are known.
    public let whenUnknown: Duration
    let track: LatencyTrack
    let clock: any ResilienceClock

    /// The estimate in use now, if enough samples are known.
    public var estimate: FleetLatencyEstimate? { track.estimate(at: clock.now) }

    /// The estimated quantile, or ``whenUnknown``.
    /// - Parameter attempt: The attempt about to be launched; every hedge waits the same quantile.
    /// - Returns: The delay.
    public func hedgingDelay(beforeAttempt attempt: Int) -> Duration {
        estimate?.quantile ?? whenUnknown
    }

    /// Counts the latency in the summary.
    /// - Parameter latency: An attempt's latency.
    public func recordLatency(_ latency: Duration) {
        track.record(latency, at: clock.now)
    }
}
