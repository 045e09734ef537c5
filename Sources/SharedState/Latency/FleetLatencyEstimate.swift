/// A latency quantile of one dependency, and where it comes from.
public struct FleetLatencyEstimate: Sendable, Hashable {
    /// The quantile (the p95 by default): the upper bound of its histogram bucket, at most 12.5 % high.
    public var quantile: Duration
    /// How many samples it was computed from.
    public var samples: Int
    /// Whether it covers the whole fleet (read back from Redis) rather than this instance alone.
    public var isFleetWide: Bool

    /// Creates an estimate.
    /// - Parameters:
    ///   - quantile: The quantile.
    ///   - samples: The samples it was computed from.
    ///   - isFleetWide: Whether it covers the fleet.
    public init(quantile: Duration, samples: Int, isFleetWide: Bool) {
        self.quantile = quantile
        self.samples = samples
        self.isFleetWide = isFleetWide
    }
}
