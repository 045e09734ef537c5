import HTTPTypes
import Hummingbird
import Synchronization

/// The routes of one application and what each declared it does, keyed by method and the router's path
/// in the router's own spelling (such as `POST /api/v1/breakers/{name}/{action}`, the spelling OpenAPI uses too). Filled while the router is built, read by
/// `UndeclaredChangeGuard` on every request and by the tests that check the OpenAPI document.
public final class RouteTable: Sendable {
    /// One declared route.
    public struct Route: Sendable, Hashable {
        /// The method it answers.
        public let method: HTTPRequest.Method
        /// The router's path, with `{parameter}` captures.
        public let path: String
        /// What it does.
        public let access: RouteAccess
    }

    private let routes = Mutex<[Route]>([])

    /// Creates an empty table.
    public init() {}

    /// Every declared route, in the order declared.
    public var all: [Route] { routes.withLock { $0 } }

    /// Records a route.
    func declare(_ route: Route) {
        routes.withLock { $0.append(route) }
    }

    /// Whether `method` on the router path `path` was declared a change.
    func isDeclaredChange(_ method: HTTPRequest.Method, path: String) -> Bool {
        routes.withLock { routes in
            routes.contains { $0.access == .change && $0.method == method && Self.normalised($0.path) == Self.normalised(path) }
        }
    }

    /// The methods declared on `path`, for `Allow`.
    func methods(at path: String) -> [HTTPRequest.Method] {
        routes.withLock { routes in routes.filter { Self.normalised($0.path) == Self.normalised(path) }.map(\.method) }
    }

    /// The path as the router spells it (``Hummingbird/RouterPath``'s description): what it reports as the
    /// matched route of a request.
    static func normalised(_ path: String) -> String {
        RouterPath(path).description
    }
}
