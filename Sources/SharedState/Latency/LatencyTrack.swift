import Resilience
import Synchronization

/// The latencies of one dependency on this instance: the counts not yet flushed, the latest windows of local
/// counts, and the estimates computed at the last sync, which the hot path only reads.
final class LatencyTrack: Sendable {
    private struct Window {
        var number: Int64 = .min
        var histogram = LatencyHistogram()
    }

    private struct State {
        var pending = LatencyHistogram()
        var windows: [Window]
        var fleet: FleetLatencyEstimate?
        var fleetReadAt: ResilienceInstant?
        var local: FleetLatencyEstimate?
    }

    /// The dependency's name.
    let dependency: String
    private let configuration: FleetLatencyConfiguration
    private let windowNanoseconds: Int64
    private let state: Mutex<State>

    init(dependency: String, configuration: FleetLatencyConfiguration) {
        self.dependency = dependency
        self.configuration = configuration
        windowNanoseconds = configuration.windowMilliseconds * 1_000_000
        state = Mutex(State(windows: Array(repeating: Window(), count: configuration.windows)))
    }

    /// Counts one latency, to flush and in the local window of `now`.
    func record(_ latency: Duration, at now: ResilienceInstant) {
        let number = now.nanoseconds / windowNanoseconds
        let bucket = LatencyHistogram.bucket(of: latency)
        state.withLock { state in
            state.pending.add(bucket, count: 1)
            // A clock's instants may be negative (a custom `ResilienceClock`): the slot is taken modulo, never negative.
            let count = Int64(state.windows.count)
            let slot = Int((number % count + count) % count)
            if state.windows[slot].number != number { state.windows[slot] = Window(number: number) }
            state.windows[slot].histogram.add(bucket, count: 1)
        }
    }

    /// The estimate in use at `now`: the fleet's while fresh, else this instance's; `nil` with too few samples.
    func estimate(at now: ResilienceInstant) -> FleetLatencyEstimate? {
        state.withLock { state in
            if let fleet = state.fleet, let readAt = state.fleetReadAt, readAt.duration(to: now) <= configuration.staleAfter {
                return fleet
            }
            return state.local
        }
    }

    /// Takes the counts not yet flushed.
    func takePending() -> LatencyHistogram {
        state.withLock { state in
            defer { state.pending = LatencyHistogram() }
            return state.pending
        }
    }

    /// Puts back counts whose flush failed, to go with the next one (the histogram's size bounds them).
    func restorePending(_ histogram: LatencyHistogram) {
        state.withLock { $0.pending.merge(histogram) }
    }

    /// Notes the fleet's counts read at `now`, or that Redis could not be reached (`nil`), and computes the
    /// local estimate again.
    func update(fleet: LatencyHistogram?, at now: ResilienceInstant) {
        let number = now.nanoseconds / windowNanoseconds
        state.withLock { state in
            if let fleet {
                state.fleet = estimate(fleet, isFleetWide: true)
                state.fleetReadAt = now
            } else {
                state.fleet = nil
                state.fleetReadAt = nil
            }
            var local = LatencyHistogram()
            for window in state.windows where window.number > number - Int64(state.windows.count) && window.number <= number {
                local.merge(window.histogram)
            }
            state.local = estimate(local, isFleetWide: false)
        }
    }

    private func estimate(_ histogram: LatencyHistogram, isFleetWide: Bool) -> FleetLatencyEstimate? {
        guard histogram.total >= configuration.minimumSamples, let quantile = histogram.quantile(configuration.quantile) else { return nil }
        return FleetLatencyEstimate(quantile: quantile, samples: histogram.total, isFleetWide: isFleetWide)
    }
}
