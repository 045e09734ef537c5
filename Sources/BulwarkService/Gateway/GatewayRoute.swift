import Resilience

/// One route of the gateway: which requests it takes (a path prefix, optionally a `Host`), where it sends
/// them, and the policies that guard them.
public struct GatewayRoute: Sendable {
    /// The route's name: 1 to 32 characters from `a-z 0-9 -`; in breaker names, metrics and error bodies.
    public let name: String
    /// The path prefix it takes, `/` or `/segment[/segment…]` without a trailing slash; it matches whole segments
    /// (`/pay` takes `/pay` and `/pay/x`, never `/payments`).
    public let pathPrefix: String
    /// The `Host` it takes, lowercased and without a port; `nil` for any.
    public let host: String?
    /// The upstreams, tried in order: the next one is used only while the breaker of the one before is open.
    public let upstreams: [GatewayUpstream]
    /// The policies of every call (retry, breaker, timeouts, bulkhead).
    public let profile: ResilienceProfile

    /// The name of the shared breaker of the upstream at `index`: `gateway.<route>.<n>`, `n` from 1.
    public func breakerName(upstream index: Int) -> String {
        "gateway.\(name).\(index + 1)"
    }

    /// Whether the route takes a request for `host` (lowercased, without a port) at `path`.
    func matches(host requestHost: String?, path: String) -> Bool {
        if let host, host != requestHost { return false }
        if pathPrefix == "/" { return true }
        guard path.hasPrefix(pathPrefix) else { return false }
        let after = path.utf8.dropFirst(pathPrefix.utf8.count)
        return after.isEmpty || after.first == UInt8(ascii: "/")
    }

    /// What of `path` follows the prefix: empty or starting with `/`.
    func remainder(of path: String) -> Substring {
        pathPrefix == "/" ? Substring(path) : path.dropFirst(pathPrefix.count)
    }
}
