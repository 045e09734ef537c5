/// The outcomes of half-open probe calls, with the generation (the half-open state) that admitted them.
///
/// An authority counts probe outcomes only for the generation that admitted them, so that a call admitted
/// before a trip and finishing after it never counts as a probe.
public struct CircuitBreakerProbeOutcomes: Sendable, Hashable {
    /// The half-open generation whose probes these are.
    public var generation: UInt64
    /// Probes that succeeded.
    public var successes: UInt64
    /// Probes that failed (or were too slow).
    public var failures: UInt64

    /// Creates outcomes.
    /// - Parameters:
    ///   - generation: The half-open generation.
    ///   - successes: Probes that succeeded.
    ///   - failures: Probes that failed.
    public init(generation: UInt64, successes: UInt64 = 0, failures: UInt64 = 0) {
        self.generation = generation
        self.successes = successes
        self.failures = failures
    }
}
