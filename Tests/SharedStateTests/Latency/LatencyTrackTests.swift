import Resilience
import Testing

@testable import SharedState

/// The local latency windows of one dependency, without Redis.
@Suite struct LatencyTrackTests {
    /// A custom clock may count from an origin after its instants (negative nanoseconds): recording then must
    /// neither trap nor lose the samples from the local estimate.
    @Test func latenciesAtNegativeInstantsAreCountedInTheLocalEstimate() {
        let track = LatencyTrack(dependency: "negative-clock", configuration: FleetLatencyConfiguration(minimumSamples: 10))
        let now = ResilienceInstant(nanoseconds: -25_000_000_000)
        for _ in 0..<20 { track.record(.milliseconds(3), at: now) }
        track.update(fleet: nil, at: now)
        let estimate = track.estimate(at: now)
        #expect(estimate?.samples == 20)
        #expect(estimate?.isFleetWide == false)
    }
}
