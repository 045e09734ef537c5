/// The delay of a ``HedgingPolicy``: a constant, or a ``HedgingDelayProvider`` that measures it.
///
/// The policy asks the one provider before every hedge, so a constant delay and a measured one (the fleet-wide
/// p95 of `SharedState`'s latency summary) take the same path.
///
/// ```swift
/// let slowCalls = HedgingConfiguration(maxHedgedAttempts: 1, delay: .fixed(.milliseconds(20)))
/// let fallback = HedgingConfiguration(maxHedgedAttempts: 2, delay: .sequential)
/// ```
public struct HedgingDelay: Sendable {
    /// Where the delay comes from.
    public let provider: any HedgingDelayProvider

    /// A delay from a provider.
    /// - Parameter provider: The provider, asked before every hedge.
    public init(_ provider: any HedgingDelayProvider) {
        self.provider = provider
    }

    /// A constant delay; its sign chooses the mode (see ``HedgingDelayProvider``).
    /// - Parameter delay: Positive: hedge a call still running after it; zero: send every attempt at once;
    ///   negative: launch the next attempt only after one failed.
    /// - Returns: The delay.
    public static func fixed(_ delay: Duration) -> HedgingDelay {
        HedgingDelay(FixedHedgingDelay(delay: delay))
    }

    /// Every attempt at once (a delay of zero).
    public static let allAtOnce = fixed(.zero)

    /// The next attempt only after the ones in flight failed (a negative delay): a fallback to another replica.
    public static let sequential = fixed(.nanoseconds(-1))
}

/// The same delay before every hedge.
struct FixedHedgingDelay: HedgingDelayProvider {
    let delay: Duration

    func hedgingDelay(beforeAttempt attempt: Int) -> Duration { delay }
}
