import SharedState

/// Whether the answering instance shares state through Redis: the `sharedState` of a ``BreakerList`` and
/// of the dashboard's `status` event.
struct FleetStatus: Codable, Sendable, Equatable {
    /// `mode`: `shared`, or `fallback` while the instance decides alone on local memory.
    var mode: String
    /// `reason`: why it runs on the fallback; absent while shared.
    var reason: String?

    /// The status of a breaker registry.
    init(_ status: SharedStateStatus) {
        switch status {
        case .shared:
            mode = "shared"
            reason = nil
        case .localFallback(let why):
            mode = "fallback"
            reason = why
        }
    }
}
