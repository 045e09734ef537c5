import BulwarkHTTPClient

/// One upstream of a gateway route: an absolute `http` or `https` base URL, checked at start-up.
///
/// A request is sent to the base URL followed by what its path has after the route's prefix, and its query:
/// with the base `http://10.0.0.5:9000/v1` and the prefix `/payments`, `/payments/charges?page=2` goes to
/// `http://10.0.0.5:9000/v1/charges?page=2`.
public struct GatewayUpstream: Sendable, Equatable {
    /// `scheme://host:port`, without a trailing slash.
    public let origin: String
    /// The base path, empty or starting with `/`, without a trailing slash.
    public let basePath: String

    /// Parses a base URL.
    /// - Parameter url: Such as `http://127.0.0.1:9000/v1`; no user information, query or fragment.
    /// - Throws: A message saying what is wrong (never repeating the URL: it might carry a credential).
    init(url: String) throws(GatewayConfigurationProblem) {
        guard url.utf8.count <= 2_048 else { throw GatewayConfigurationProblem("must be at most 2048 characters") }
        let authority: HTTPAuthority
        do {
            authority = try HTTPAuthority(url: url)
        } catch {
            throw GatewayConfigurationProblem(error.message)
        }
        let afterScheme = url[url.index(url.firstIndex(of: ":")!, offsetBy: 3)...]
        let authorityText = afterScheme.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        guard !authorityText.contains("@") else {
            throw GatewayConfigurationProblem("must not carry user information: put credentials in headers the caller sends")
        }
        let rest = afterScheme.dropFirst(authorityText.count)
        guard !rest.contains("?"), !rest.contains("#") else { throw GatewayConfigurationProblem("must not have a query or a fragment") }
        guard rest.utf8.allSatisfy(GatewayRequestPath.isPathByte) else {
            throw GatewayConfigurationProblem("the path has characters that are not allowed in a URL path")
        }
        guard GatewayRequestPath.hasNoDotSegments(String(rest)) else {
            throw GatewayConfigurationProblem("the path must not have '.' or '..' segments")
        }
        var path = String(rest)
        while path.hasSuffix("/") { path.removeLast() }
        origin = authority.description
        basePath = path
    }

    /// The URL for `remainder` (empty or starting with `/`) and `query` (without its `?`, `nil` for none).
    func url(remainder: Substring, query: Substring?) -> String {
        var path = basePath + remainder
        if path.isEmpty { path = "/" }
        guard let query else { return origin + path }
        return origin + path + "?" + query
    }
}
