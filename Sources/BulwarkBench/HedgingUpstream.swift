import Synchronization

/// W12's upstream, simulated in process: each call sleeps 1 ms, or 100 ms for 2 % of the calls drawn at random,
/// and counts itself. It honours cancellation (`Task.sleep` ends at once), as a hedged operation must.
final class HedgingUpstream: Sendable {
    /// The fraction of slow calls.
    let slowFraction = 0.02
    /// The latency of most calls.
    let fastLatency = Duration.milliseconds(1)
    /// The latency of the slow calls.
    let slowLatency = Duration.milliseconds(100)
    private let calls = Atomic<Int>(0)

    /// The calls made so far, hedges included.
    var callCount: Int { calls.load(ordering: .relaxed) }

    /// One call.
    func call() async throws -> Int {
        calls.add(1, ordering: .relaxed)
        try await Task.sleep(for: Double.random(in: 0..<1) < slowFraction ? slowLatency : fastLatency)
        return 1
    }
}
