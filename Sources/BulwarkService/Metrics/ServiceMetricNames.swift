/// The stable names of the metrics the service adds to those of the policies and stores. Dashboards and
/// the alert rules in `ops/` depend on them.
public enum ServiceMetricNames {
    /// Counter `{method, route, status}`: HTTP requests answered.
    public static let httpRequests = "bulwark_http_requests_total"
    /// Histogram (seconds) `{method, route}`: time to answer an HTTP request.
    public static let httpRequestDuration = "bulwark_http_request_duration_seconds"
    /// Counter `{breaker, outcome}` (`success`, `failure`, `rejected`): calls through this instance's breakers.
    public static let breakerCalls = "bulwark_breaker_calls_total"
    /// Counter `{tier, result}` (`local`|`redis`, `hit`|`miss`): cache reads by tier.
    public static let cacheRequests = "bulwark_cache_requests_total"
    /// Histogram (seconds): time from sending a Redis command to its reply.
    public static let redisCommandDuration = "bulwark_redis_command_duration_seconds"
    /// Gauge: sessions the fleet holds.
    public static let sessionsActive = "bulwark_sessions_active"
    /// Gauge: 0 healthy, 1 degraded, 2 unhealthy (as `GET /health` last computed).
    public static let healthStatus = "bulwark_health_status"
    /// Gauge: 0 NORMAL, 1 MINOR, 2 MODERATE, 3 SEVERE, 4 CRITICAL.
    public static let degradationLevel = "bulwark_degradation_level"
    /// Gauge `{dependency}`: 1 when the dependency check passed, 0 when not.
    public static let dependencyUp = "bulwark_dependency_up"
}
