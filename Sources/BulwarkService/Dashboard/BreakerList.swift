import Foundation

/// `GET /api/v1/breakers`, and the data of the dashboard's `snapshot` event: every registered breaker as
/// the whole fleet sees it, worst first.
struct BreakerList: Codable, Sendable, Equatable {
    /// `instance`: the instance that answered.
    var instance: String
    /// `sharedState`: whether that instance shares breakers through Redis or runs on the local fallback.
    var sharedState: FleetStatus
    /// `liveInstances`: the instances whose heartbeat is recent, sorted.
    var liveInstances: [String]
    /// `refreshedAt`: when the view was read from Redis (ISO 8601).
    var refreshedAt: Date
    /// `breakers`: every registered breaker, worst first.
    var breakers: [BreakerView]
}
