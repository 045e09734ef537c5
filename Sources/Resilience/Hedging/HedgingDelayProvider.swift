/// Says how long a ``HedgingPolicy`` waits for the attempts in flight before it launches another, and learns
/// from the latencies the policy observes.
///
/// The sign of the delay chooses the mode, attempt by attempt (as Polly's `HedgingDelay`):
/// - **positive**: wait that long for the attempts in flight, then launch the next (a slow call is hedged);
/// - **zero**: launch the next at once (every attempt is sent together);
/// - **negative**: launch the next only when an attempt in flight has failed (a sequential fallback).
///
/// A failure that the policy hedges always launches the next attempt at once, whatever the delay.
/// Conform a type that derives the delay from measured latency, such as the fleet-wide p95 of the
/// `SharedState` module's latency summary; ``HedgingDelay/fixed(_:)`` is the constant one.
public protocol HedgingDelayProvider: Sendable {
    /// The delay before attempt `attempt` may be launched, counted from the launch of the one before it.
    /// - Parameter attempt: The attempt about to be launched: 2 for the first hedge.
    /// - Returns: The delay; its sign chooses the mode (see ``HedgingDelayProvider``).
    func hedgingDelay(beforeAttempt attempt: Int) -> Duration

    /// Told how long an attempt took, from its launch until it returned a value; for an attempt cancelled
    /// because another won, the time until then (a lower bound). Does nothing by default.
    /// - Parameter latency: The attempt's latency.
    func recordLatency(_ latency: Duration)
}

extension HedgingDelayProvider {
    /// Learns nothing: the delay does not depend on latency.
    /// - Parameter latency: Ignored.
    public func recordLatency(_ latency: Duration) {}
}
