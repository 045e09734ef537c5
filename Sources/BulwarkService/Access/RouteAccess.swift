import HTTPTypes

/// What a route does to the service's state: reads are open, changes need the admin token.
///
/// Every route of the admin API declares one through `RouteRegistrar`; the declaration, not the spelling of a
/// request's path, decides whether the token is checked.
public enum RouteAccess: String, Sendable, Hashable, CaseIterable {
    /// Reads only (GET).
    case read
    /// Changes shared state (POST): needs `Authorization: Bearer <admin token>`.
    case change

    /// The method a route of this access answers.
    var method: HTTPRequest.Method {
        switch self {
        case .read: .get
        case .change: .post
        }
    }

    /// Whether `method` may only read: GET, HEAD and OPTIONS. Anything else is a change unless proven otherwise.
    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }
}
