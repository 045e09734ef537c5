/// How a ``FleetLatencySummary`` keeps and shares its latency histograms.
///
/// Defaults: the 95th percentile over the last minute (six windows of 10 s), flushed and read back every
/// second, trusted for 5 s after the last successful read, from at least 100 samples, for at most 256
/// dependencies, under the key prefix `bulwark`.
public struct FleetLatencyConfiguration: Sendable, Hashable {
    /// The quantile reported, above 0 and below 1: 0.95 for the p95.
    public var quantile: Double
    /// The length of one window; Redis keeps one hash per dependency and window.
    public var window: Duration
    /// How many of the latest windows the quantile covers, from 1 to 60.
    public var windows: Int
    /// How often ``FleetLatencySummary/run()`` flushes the local counts and reads the fleet's back.
    public var flushInterval: Duration
    /// How long a fleet-wide quantile stays in use without a successful read; after it, the local one is used.
    public var staleAfter: Duration
    /// The fewest samples a quantile is computed from; with fewer, the caller's fallback delay is used.
    public var minimumSamples: Int
    /// The most dependencies tracked; further names are refused.
    public var maxDependencies: Int
    /// The key prefix: histograms live at `<prefix>:latency:{<dependency>}:<window number>`.
    public var keyPrefix: String

    /// Creates a configuration; every value has the default described above.
    /// - Parameters:
    ///   - quantile: The quantile reported.
    ///   - window: The length of one window.
    ///   - windows: The windows covered.
    ///   - flushInterval: The pause between two flushes.
    ///   - staleAfter: How long a fleet-wide quantile is trusted.
    ///   - minimumSamples: The fewest samples used.
    ///   - maxDependencies: The most dependencies.
    ///   - keyPrefix: The key prefix.
    public init(
        quantile: Double = 0.95,
        window: Duration = .seconds(10),
        windows: Int = 6,
        flushInterval: Duration = .seconds(1),
        staleAfter: Duration = .seconds(5),
        minimumSamples: Int = 100,
        maxDependencies: Int = 256,
        keyPrefix: String = "bulwark"
    ) {
        self.quantile = quantile
        self.window = window
        self.windows = windows
        self.flushInterval = flushInterval
        self.staleAfter = staleAfter
        self.minimumSamples = minimumSamples
        self.maxDependencies = maxDependencies
        self.keyPrefix = keyPrefix
    }

    /// Checks every field, naming the first one out of range.
    /// - Throws: ``SharedStateError`` with code ``SharedStateError/Code/invalidConfiguration``.
    public func validate() throws(SharedStateError) {
        guard quantile > 0, quantile < 1 else {
            throw SharedStateError(.invalidConfiguration, "quantile must be above 0 and below 1, got \(quantile)")
        }
        guard window >= .milliseconds(100), window <= .seconds(3_600) else {
            throw SharedStateError(.invalidConfiguration, "window must be from 100 ms to 1 hour, got \(window)")
        }
        guard (1...60).contains(windows) else {
            throw SharedStateError(.invalidConfiguration, "windows must be from 1 to 60, got \(windows)")
        }
        guard flushInterval >= .milliseconds(10) else {
            throw SharedStateError(.invalidConfiguration, "flushInterval must be at least 10 ms, got \(flushInterval)")
        }
        guard staleAfter >= flushInterval else {
            throw SharedStateError(.invalidConfiguration, "staleAfter must be at least flushInterval, got \(staleAfter)")
        }
        guard minimumSamples >= 1 else {
            throw SharedStateError(.invalidConfiguration, "minimumSamples must be at least 1, got \(minimumSamples)")
        }
        guard (1...10_000).contains(maxDependencies) else {
            throw SharedStateError(.invalidConfiguration, "maxDependencies must be from 1 to 10000, got \(maxDependencies)")
        }
        guard !keyPrefix.isEmpty, !keyPrefix.contains(where: { $0 == "{" || $0 == "}" || $0 == " " }) else {
            throw SharedStateError(.invalidConfiguration, "keyPrefix must be non-empty, without braces or spaces")
        }
    }

    /// The window in whole milliseconds, as the script takes it.
    var windowMilliseconds: Int64 {
        let (seconds, attoseconds) = window.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }
}
