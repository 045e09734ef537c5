/// One live instance's view of one breaker: an element of ``BreakerView/instances``.
struct BreakerInstanceView: Codable, Sendable, Equatable {
    /// `id`: the instance id.
    var id: String
    /// `state`: the breaker's state in the instance's last report (same names as ``BreakerView/state``).
    var state: String
    /// `reportedAgoMilliseconds`: how long ago, by Redis's clock, the instance last reported; instances report
    /// only when calls ran, so an idle instance's state may be older than the shared one.
    var reportedAgoMilliseconds: Int64
    /// `callsPerSecond`: calls that ran on this instance.
    var callsPerSecond: Double
    /// `failureRatio`: this instance's failure ratio over the rate window; absent with no calls.
    var failureRatio: Double?
    /// `rejectedTotal`: calls this instance refused since it started.
    var rejectedTotal: UInt64
}
