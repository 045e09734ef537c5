/// The stable names of the gateway's metrics, each labelled by `route` (the route's configured name, never a path).
public enum GatewayMetricNames {
    /// Counter `{route, status}`: requests the gateway answered.
    public static let requests = "bulwark_gateway_requests_total"
    /// Histogram (seconds) `{route}`: time from handing a request to the route's policies to its answer, retries included.
    public static let upstreamDuration = "bulwark_gateway_upstream_duration_seconds"
    /// Counter `{route}`: retries the route's policies made.
    public static let retries = "bulwark_gateway_retries_total"
    /// Counter `{route, reason}`: requests the gateway answered itself (`breaker_open`, `timeout`, `upstream_failed`,
    /// `bulkhead_full`, `paused`, `body_too_large`, `invalid_request`, `no_route`).
    public static let rejections = "bulwark_gateway_rejections_total"
}
