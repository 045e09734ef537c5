/// The data of the dashboard's `status` event, sent when the answering instance goes to or from the
/// fallback or the set of live instances changes.
struct FleetSummary: Codable, Sendable, Equatable {
    /// `instance`: the instance that answered.
    var instance: String
    /// `sharedState`: whether it shares breakers through Redis or runs on the local fallback.
    var sharedState: FleetStatus
    /// `liveInstances`: the instances whose heartbeat is recent, sorted.
    var liveInstances: [String]
}
