import SharedState

/// One breaker as the fleet sees it: an element of `GET /api/v1/breakers`, the body of
/// `GET /api/v1/breakers/{name}` and of the dashboard's `breaker` events.
///
/// Rates are measured over the last ``BreakerRates/window`` from the totals each live instance reports
/// with its outcomes, so they need two refreshes before they are non-zero.
struct BreakerView: Codable, Sendable, Equatable {
    /// `name`: the breaker's name.
    var name: String
    /// `state`: the shared state in Redis — `closed`, `open`, `half-open`, `isolated` (forced open by an
    /// operator) or `disabled`. For a `local`-scope breaker, the most conservative state an instance reported.
    var state: String
    /// `severity`: how bad the state is, 0 (disabled, or no traffic) to 5 (forced open); the list is sorted by
    /// it, worst first, then by failure ratio and name.
    var severity: Int
    /// `generation`: grows by one with every shared transition.
    var generation: UInt64
    /// `openRemainingMilliseconds`: time left in the break while `open`; absent otherwise.
    var openRemainingMilliseconds: Int64?
    /// `failureRatio`: failures / (successes + failures) over the rate window; absent with no calls in it.
    var failureRatio: Double?
    /// `callsPerSecond`: calls that ran (succeeded or failed), summed over the live instances.
    var callsPerSecond: Double
    /// `rejectedPerSecond`: calls refused without running, summed over the live instances.
    var rejectedPerSecond: Double
    /// `rejectedTotal`: calls refused since each live instance started, summed.
    var rejectedTotal: UInt64
    /// `instancesOpen`: live instances whose last report saw it open or isolated.
    var instancesOpen: [String]
    /// `instancesHalfOpen`: live instances whose last report saw it half-open.
    var instancesHalfOpen: [String]
    /// `instancesClosed`: live instances whose last report saw it closed or disabled.
    var instancesClosed: [String]
    /// `instances`: every live instance that has reported it, by id.
    var instances: [BreakerInstanceView]
    /// `configuration`: how it trips, as its instances registered it (`scope`, `rule`, `threshold`, …).
    var configuration: SharedBreakerDescriptor
}

extension BreakerView {
    /// The dashboard's order: higher severity first, then the higher failure ratio, then by name.
    static func worseFirst(_ lhs: BreakerView, _ rhs: BreakerView) -> Bool {
        if lhs.severity != rhs.severity { return lhs.severity > rhs.severity }
        let left = lhs.failureRatio ?? -1
        let right = rhs.failureRatio ?? -1
        if left != right { return left > right }
        return lhs.name < rhs.name
    }
}
