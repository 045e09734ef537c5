/// The gateway of `bulwark serve`: its routes and the limits of what it forwards, read from the routes file
/// (`gatewayRoutesFile`) and checked whole at start-up.
///
/// ```json
/// {
///   "maxRequestBodyBytes": 1048576,
///   "maxResponseBodyBytes": 8388608,
///   "routes": [
///     { "name": "payments", "pathPrefix": "/payments", "upstreams": ["http://10.0.0.5:9000/v1"], "policy": "external-api" },
///     { "name": "search", "pathPrefix": "/", "host": "search.internal", "upstreams": ["http://10.0.0.6:9200", "http://10.0.0.7:9200"],
///       "policy": { "profile": "standard", "timeout": "2s", "circuitBreaker": { "consecutiveFailures": 5, "breakDuration": "10s" } } }
///   ]
/// }
/// ```
public struct GatewayConfiguration: Sendable {
    /// The routes; a request takes the one with the longest matching prefix, a route with a `host` before one
    /// without.
    public var routes: [GatewayRoute]
    /// The largest request body forwarded; it is buffered (so a retry resends it) and a larger one is refused
    /// with 413 before anything is sent. 1 MiB by default.
    public var maxRequestBodyBytes: Int
    /// The largest upstream response body relayed; a larger one is answered 502. 8 MiB by default.
    public var maxResponseBodyBytes: Int

    /// The most routes one gateway holds.
    public static let maxRoutes = 256
    /// The most upstreams one route lists.
    public static let maxUpstreams = 8

    /// Creates a configuration.
    /// - Parameters:
    ///   - routes: The routes.
    ///   - maxRequestBodyBytes: The request body limit.
    ///   - maxResponseBodyBytes: The response body limit.
    public init(routes: [GatewayRoute], maxRequestBodyBytes: Int = 1 << 20, maxResponseBodyBytes: Int = 8 << 20) {
        self.routes = routes
        self.maxRequestBodyBytes = maxRequestBodyBytes
        self.maxResponseBodyBytes = maxResponseBodyBytes
    }

    /// The route that takes a request for `host` at `path`: the longest prefix, a route naming the host first.
    func route(host: String?, path: String) -> GatewayRoute? {
        var best: GatewayRoute?
        for route in routes where route.matches(host: host, path: path) {
            guard let current = best else {
                best = route
                continue
            }
            let longer = route.pathPrefix.utf8.count > current.pathPrefix.utf8.count
            let sameLength = route.pathPrefix.utf8.count == current.pathPrefix.utf8.count
            if longer || (sameLength && route.host != nil && current.host == nil) { best = route }
        }
        return best
    }
}
