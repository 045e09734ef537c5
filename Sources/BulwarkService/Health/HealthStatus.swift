/// The overall health `GET /health` reports.
public enum HealthStatus: String, Sendable, Codable, Comparable {
    /// Every dependency answers; shared state lives in Redis; no breaker is open.
    case healthy
    /// Serving, with less than everything: Redis unreachable (local fallback), a breaker open or half-open,
    /// or memory above its limit.
    case degraded
    /// Not fit to serve: free disk below its minimum, or Redis unreachable while the fallback is not
    /// acceptable (`readyOnFallback` false).
    case unhealthy

    /// The gauge value of `bulwark_health_status`.
    public var gaugeValue: Int {
        switch self {
        case .healthy: 0
        case .degraded: 1
        case .unhealthy: 2
        }
    }

    /// Healthy < degraded < unhealthy.
    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.gaugeValue < rhs.gaugeValue }
}
