/// Whether shared state lives in Redis right now, or on the local in-memory fallback.
public enum SharedStateStatus: Sendable, Hashable, CustomStringConvertible {
    /// Redis is reachable: every instance shares the same decisions.
    case shared
    /// Redis is unreachable: this instance decides alone, with the same configuration, until Redis is back.
    case localFallback(reason: String)

    /// Whether the instance runs on the fallback.
    public var isDegraded: Bool {
        if case .localFallback = self { return true }
        return false
    }

    /// `shared`, or `local fallback (reason)`.
    public var description: String {
        switch self {
        case .shared: "shared"
        case .localFallback(let reason): "local fallback (\(reason))"
        }
    }
}
