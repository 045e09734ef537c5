/// Whose outcomes decide a shared breaker's trips.
public enum BreakerScope: Sendable, Hashable, CustomStringConvertible {
    /// Outcomes of all instances are pooled: the fleet trips as one.
    case shared
    /// The shared breaker opens only when at least `instances` instances each see the failure condition in
    /// their own window, so one sick instance cannot trip it for the healthy ones.
    case quorum(instances: Int)
    /// Each instance decides alone; its state is only reported to Redis for the dashboard.
    case local

    /// `shared`, `quorum(K)` or `local`.
    public var description: String {
        switch self {
        case .shared: "shared"
        case .quorum(let instances): "quorum(\(instances))"
        case .local: "local"
        }
    }

    var scriptName: String {
        switch self {
        case .shared: "shared"
        case .quorum: "quorum"
        case .local: "local"
        }
    }
}
